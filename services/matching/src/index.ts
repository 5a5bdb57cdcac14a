import { runServiceMain } from '@hub/service-kit';
import { startMatchingService } from './app.js';
import { readEnv } from './env.js';

runServiceMain({ name: 'matching', env: readEnv(), start: startMatchingService });
