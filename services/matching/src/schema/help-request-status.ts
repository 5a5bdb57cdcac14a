import { builder } from '../builder.js';
import { HelpRequestStatus } from '../generated/prisma/client.js';

export const HelpRequestStatusEnum = builder.enumType(HelpRequestStatus, {
  name: 'HelpRequestStatus',
  description: '相談の状態 (status of a help request)',
  values: {
    OPEN: { description: '受付中 (open)' },
    CLOSED: { description: '締め切り — 相談者が閉じた (closed by the asker)' },
  },
});
