import { contributeToDataExport } from '@hub/service-kit';
import { builder } from '../builder.js';
import { exportMemberData } from '../domain/export-member-data.js';

contributeToDataExport(builder, {
  field: 'events',
  description:
    'イベントサービスが保持するこの会員のデータ — 本人またはハブ管理者のみ (what the events service holds about the member; the member themself or a hub admin only)',
  resolve: exportMemberData,
});
