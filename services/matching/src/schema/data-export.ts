import { builder } from '../builder.js';
import { exportMemberData } from '../domain/export-member-data.js';
import { workerLoader } from './worker.js';

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
    matching: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'マッチングサービスが保持するこの会員のデータ (ワーカー情報・仕事の割り当て) — 本人またはハブ管理者のみ (what the matching service holds about the member: the worker profile and assignments; the member themself or a hub admin only)',
      authScopes: (dataExport) => ({ admin: true, self: dataExport.memberId }),
      resolve: async (dataExport, _args, context) =>
        exportMemberData(await workerLoader(context).load(dataExport.memberId)),
    }),
  }),
});
