import { DateScalar, DateTimeScalar, JsonScalar } from '@hub/service-kit';
import { builder } from '../builder.js';

builder.addScalarType('DateTime', DateTimeScalar);
// The data export (DataExport) returns what this service holds about a member as JSON.
builder.addScalarType('JSON', JsonScalar);
// Periods of figures (Municipality.workFigures): Tokyo days, YYYY-MM-DD.
builder.addScalarType('Date', DateScalar);
