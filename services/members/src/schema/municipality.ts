import { memberFieldAuth } from '../authorization/access.js';
import { builder } from '../builder.js';

/** Municipalities are owned by the spaces service; members refers to them by code. */
const MunicipalityRef = builder.externalRef(
  'Municipality',
  builder.selection<{ code: string }>('code'),
);
MunicipalityRef.implement({ externalFields: (t) => ({ code: t.string() }) });

const municipalityStub = (code: string | null) => (code ? { code } : null);

builder.prismaObjectField('Member', 'municipality', (t) =>
  t.field({
    type: MunicipalityRef,
    nullable: true,
    description: '現在の居住・活動市区町村 (current municipality)',
    ...memberFieldAuth('municipality'),
    resolve: (member) => municipalityStub(member.municipalityCode),
  }),
);

builder.prismaObjectField('Organization', 'municipality', (t) =>
  t.field({
    type: MunicipalityRef,
    nullable: true,
    description: '所在市区町村 (municipality)',
    resolve: (organization) => municipalityStub(organization.municipalityCode),
  }),
);
