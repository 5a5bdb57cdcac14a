import { builder } from '../builder.js';
import './scalars.js';
// Query and Mutation fields appear in the SDL in the order the files below register them, so a
// file that adds root fields is imported only here, never by another type file.
import './member.js';
import './skill.js';
import './member-skill.js';
import './member-link.js';
import './erasure-receipt.js';
import './organization.js';
import './consortium-membership.js';
import './affiliation.js';
import './account.js';
import './api-key.js';
import './invitation.js';
// After Member and Organization: these add fields to them.
import './municipality.js';
import './referral.js';
import './consent.js';
import './audit-log.js';
import './partnership.js';
import './data-export.js';

builder.queryType({ description: '問い合わせ (queries)' });
builder.mutationType({ description: '変更 (mutations)' });

// Federation 2.6; the plugin links exactly the directives the schema uses.
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
