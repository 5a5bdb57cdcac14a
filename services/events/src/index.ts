import { runServiceMain } from '@hub/service-kit';
import { startEventsService } from './app.js';
import { readEnv } from './env.js';

runServiceMain({ name: 'events', env: readEnv(), start: startEventsService });
