import { builder } from '../builder.js';
import './scalars.js';
import './program.js';
// After Program: they add Program.provider and Program.space.
import './organization.js';
import './space.js';
import './data-export.js';

builder.queryType({ description: '問い合わせ (queries)' });
builder.mutationType({ description: '変更 (mutations)' });

// Federation 2.6; the plugin links exactly the directives the schema uses.
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
