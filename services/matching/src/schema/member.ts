import { builder } from '../builder.js';
import { CandidateRef } from './candidate.js';
import { WorkerRef } from './worker.js';

/** Members are owned by the members service; a worker points at its member by id. */
const MemberRef = builder.externalRef('Member', builder.selection<{ id: string }>('id'));

MemberRef.implement({
  externalFields: (t) => ({ id: t.id() }),
});

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
