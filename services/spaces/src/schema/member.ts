import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder.js';

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** Members are owned by the members service; spaces knows them by id and returns stubs. */
export const MemberRef: ObjectRef<BuilderTypes, { id: string }> = builder
  .externalRef('Member', builder.selection<{ id: string }>('id'))
  .implement({ externalFields: (t) => ({ id: t.id() }) });
