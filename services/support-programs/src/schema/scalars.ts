import { DateTimeScalar } from '@hub/service-kit';
import { builder } from '../builder.js';

builder.addScalarType('DateTime', DateTimeScalar);
