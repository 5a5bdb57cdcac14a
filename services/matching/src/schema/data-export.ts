import { contributeToDataExport } from '@hub/service-kit';
import { builder } from '../builder.js';
import { exportMemberData } from '../domain/export-member-data.js';
import { workerLoader } from './worker.js';

contributeToDataExport(builder, {
  field: 'matching',
  description:
    'マッチングサービスが保持するこの会員のデータ (ワーカー情報・仕事の割り当て) — 本人またはハブ管理者のみ (what the matching service holds about the member: the worker profile and assignments; the member themself or a hub admin only)',
  resolve: async (memberId, context) =>
    exportMemberData(await workerLoader(context).load(memberId)),
});
