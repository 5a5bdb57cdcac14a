import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder.js';
import { CandidateRef } from './candidate.js';
import { WorkerRef } from './worker.js';

/** Members are owned by the members service; a worker points at its member by id. */
const MemberEntity = builder.externalRef('Member', builder.selection<{ id: string }>('id'));

MemberEntity.implement({
  externalFields: (t) => ({ id: t.id() }),
});

type SchemaTypesOf<B> = B extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The Member type, for the fields other files add to it and the `{ id }` stubs they return. */
export const MemberRef: ObjectRef<SchemaTypesOf<typeof builder>, { id: string }> = MemberEntity;

builder.prismaObjectField(WorkerRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    nullable: true,
    description: '会員 (the member)',
    resolve: (worker) => ({ id: worker.memberId }),
  }),
);

builder.objectField(CandidateRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    description: '会員 (the member)',
    resolve: (candidate) => ({ id: candidate.memberId }),
  }),
);
