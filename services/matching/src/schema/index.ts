import { builder } from '../builder.js';
import './scalars.js';
import './work-order.js';
import './worker.js';
// After WorkOrder and Worker: they add WorkOrder.client/receivingCentre, Worker.member and
// Organization.workOrders.
import './organization.js';
import './work-order-status.js';
import './work-order-tree.js';
import './assignment.js';
import './member.js';
import './data-export.js';
import './help-request.js';
import './help-collaborators.js';
import './introduction.js';
import './candidate.js';
import './ranking-weights.js';
import './municipality.js';

builder.queryType({ description: '問い合わせ (queries)' });
builder.mutationType({ description: '変更 (mutations)' });

// Federation 2.6; the plugin links exactly the directives the schema uses.
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
