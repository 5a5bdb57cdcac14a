import { assertPeriod } from '@hub/service-kit';
import { builder } from '../builder.js';
import { WORK_FIGURES_DESCRIPTION, WorkFiguresRef } from './work-figures.js';

// Municipalities are owned by the spaces service (key: code); matching adds the figures of its
// work.
builder.externalRef('Municipality', builder.selection<{ code: string }>('code')).implement({
  externalFields: (t) => ({ code: t.string() }),
  fields: (t) => ({
    workFigures: t.field({
      type: WorkFiguresRef,
      // Nullable: a bad period is null plus INVALID_PERIOD here, the municipality still
      // arrives — and so it does when this subgraph is down.
      nullable: true,
      description: WORK_FIGURES_DESCRIPTION,
      args: {
        from: t.arg({ type: 'Date', required: true, description: '開始日 (first day)' }),
        to: t.arg({
          type: 'Date',
          required: true,
          description: '終了日 — この日を含む (last day, inclusive)',
        }),
      },
      resolve: (municipality, { from, to }) => {
        assertPeriod({ from, to });
        return { municipalityCode: municipality.code, from, to };
      },
    }),
  }),
});
