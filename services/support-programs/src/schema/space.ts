import { builder } from '../builder.js';

/** Spaces are owned by the spaces service; support-programs only knows their id. */
const SpaceRef = builder.externalRef('Space', builder.selection<{ id: string }>('id'));

SpaceRef.implement({ externalFields: (t) => ({ id: t.id() }) });

builder.prismaObjectField('Program', 'space', (t) =>
  t.field({
    type: SpaceRef,
    nullable: true,
    description: '実施拠点 — 拠点で行わないものは null (the space where it takes place, if any)',
    resolve: (program) => (program.spaceId ? { id: program.spaceId } : null),
  }),
);
