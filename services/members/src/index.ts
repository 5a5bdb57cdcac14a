import { runServiceMain } from '@hub/service-kit';
import { startMembersService } from './app.js';
import { readEnv } from './env.js';

runServiceMain({ name: 'members', env: readEnv(), start: startMembersService });
