import { runServiceMain } from '@hub/service-kit';
import { startSupportProgramsService } from './app.js';
import { readEnv } from './env.js';

runServiceMain({ name: 'support-programs', env: readEnv(), start: startSupportProgramsService });
