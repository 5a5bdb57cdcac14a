import { builder } from '../builder.js';
import './scalars.js';
import './municipality.js';
import './space.js';
// After Space: adds Space.operator and Organization.spaces.
import './organization.js';
import './space-membership.js';
import './space-network.js';
import './pass.js';
// After the membership and pass types: adds Member.homeSpaces and Member.passes.
import './member.js';
// After Space and Organization: adds Space.patrolVisits, Organization.patrolVisits and
// recordPatrolVisit.
import './patrol-visit.js';
import './data-export.js';
// After Space, Organization and the membership types: rooms, leases and canEnter.
import './room.js';
import './satellite-lease.js';
import './visit.js';
// After Municipality, Space and the presence types: adds Municipality.spaceFigures.
import './space-figures.js';

builder.queryType({ description: '問い合わせ (queries)' });
builder.mutationType({ description: '変更 (mutations)' });

// Federation 2.6; the plugin links exactly the directives the schema uses.
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
