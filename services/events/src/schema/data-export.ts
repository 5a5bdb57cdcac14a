import { builder } from '../builder.js';
import { exportMemberData } from '../domain/export-member-data.js';

/**
 * A member's data export is owned by the members service (key memberId); each service adds a
 * field with what it holds about that member.
 */
const DataExportRef = builder.externalRef(
  'DataExport',
  builder.selection<{ memberId: string }>('memberId'),
);

DataExportRef.implement({
  externalFields: (t) => ({ memberId: t.id() }),
  fields: (t) => ({
    // Nullable: when this subgraph is down (or refuses) the rest of the export still arrives.
    events: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'イベントサービスが保持するこの会員のデータ — 本人またはハブ管理者のみ (what the events service holds about the member; the member themself or a hub admin only)',
      authScopes: (dataExport) => ({ admin: true, self: dataExport.memberId }),
      resolve: (dataExport) => exportMemberData(dataExport.memberId),
    }),
  }),
});
