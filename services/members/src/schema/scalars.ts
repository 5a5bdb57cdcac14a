import { DateScalar, DateTimeScalar, JsonScalar } from '@hub/service-kit';
import { builder } from '../builder.js';

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('Date', DateScalar);
// Same name and description in every subgraph that declares it, so the supergraph composes.
builder.addScalarType('JSON', JsonScalar);
