import { readFileSync } from 'node:fs';
import type { PrismaClient } from '../generated/prisma/client.js';
import { addAffiliation } from './add-affiliation.js';
import { createOrganization } from './create-organization.js';
import { registerMember } from './register-member.js';

type DemoData = {
  organizations: { id: string; kind: string; memberOrganizationIds: string[] }[];
  members: { id: string }[];
  affiliations: { id: string }[];
};

/**
 * Loads the demo organizations, people and affiliations (seed/demo.json) through the same
 * domain operations the API uses — so registering the demo people publishes
 * member.registered like any sign-up. Rows that already exist are left alone.
 */
export async function loadDemoData(prisma: PrismaClient): Promise<{ created: number }> {
  const data = JSON.parse(
    readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
  ) as DemoData;
  let created = 0;
  // Consortia last: their member organizations must exist first.
  const organizations = [...data.organizations].sort(
    (a, b) => Number(a.kind === 'CONSORTIUM') - Number(b.kind === 'CONSORTIUM'),
  );
  for (const organization of organizations) {
    if (
      await prisma.organization.findUnique({ where: { id: organization.id }, select: { id: true } })
    )
      continue;
    await createOrganization(prisma, organization);
    created += 1;
  }
  for (const member of data.members) {
    if (await prisma.member.findUnique({ where: { id: member.id }, select: { id: true } }))
      continue;
    await registerMember(prisma, member);
    created += 1;
  }
  for (const affiliation of data.affiliations) {
    if (
      await prisma.affiliation.findUnique({ where: { id: affiliation.id }, select: { id: true } })
    )
      continue;
    await addAffiliation(prisma, affiliation);
    created += 1;
  }
  return { created };
}
