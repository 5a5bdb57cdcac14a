import { DateScalar, DateTimeScalar, JsonScalar } from '@hub/service-kit';
import { builder } from '../builder.js';

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('Date', DateScalar);
// The data export (DataExport) returns what this service holds about a member as JSON.
builder.addScalarType('JSON', JsonScalar);
