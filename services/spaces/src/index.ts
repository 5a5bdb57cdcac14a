import { runServiceMain } from '@hub/service-kit';
import { startSpacesService } from './app.js';
import { readEnv } from './env.js';

runServiceMain({ name: 'spaces', env: readEnv(), start: startSpacesService });
