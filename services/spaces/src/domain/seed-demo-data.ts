import { readFileSync } from 'node:fs';
import { HUB_SPEAKS_FOR_ALL } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createRoom } from './create-room.js';
import { createSpace } from './create-space.js';
import { createSpaceNetwork } from './create-space-network.js';
import { issuePass } from './issue-pass.js';
import { leaseSatelliteOffice } from './lease-satellite-office.js';
import { recordPatrolVisit } from './record-patrol-visit.js';
import { startSpaceMembership } from './start-space-membership.js';

type Row = { id: string; key?: string } & Record<string, unknown>;
type DemoData = {
  municipalities: { code: string; name: string; prefecture: string }[];
  spaces: Row[];
  networks: Row[];
  memberships: Row[];
  passes: Row[];
  patrolVisits?: Row[];
  rooms?: Row[];
  leases?: Row[];
  visits?: Row[];
};

/**
 * Loads the demo data (seed/demo.json) through the domain operations, so each space is
 * announced (space.registered, and space.opened when open), each membership too
 * (space-membership.started: matching learns the home spaces), each network
 * (space-network.changed) and lease (satellite-lease.granted), and networks and passes are
 * checked like any other; then the patrol visits through recordPatrolVisit, so
 * support-programs hears of their requests. Rows that already exist are left alone.
 *
 * The networks' terms (free days, discount, notice, minimum plan) are illustrative: the source
 * documents name the networks and their spaces but no terms, and each network's description
 * says so (scripts/convert-demo-data.ts).
 */
export async function loadDemoData(prisma: PrismaClient): Promise<{ created: number }> {
  const data = JSON.parse(
    readFileSync(new URL('../../seed/demo.json', import.meta.url), 'utf8'),
  ) as DemoData;
  let created = 0;
  for (const municipality of data.municipalities) {
    const result = await prisma.municipality.createMany({
      data: [municipality],
      skipDuplicates: true,
    });
    created += result.count;
  }
  const steps = [
    [data.spaces, (id: string) => prisma.space.count({ where: { id } }), createSpace],
    [
      data.networks,
      (id: string) => prisma.spaceNetwork.count({ where: { id } }),
      createSpaceNetwork,
    ],
    [
      data.memberships,
      (id: string) => prisma.spaceMembership.count({ where: { id } }),
      startSpaceMembership,
    ],
    [data.passes, (id: string) => prisma.pass.count({ where: { id } }), issuePass],
    [data.rooms ?? [], (id: string) => prisma.room.count({ where: { id } }), createRoom],
    [
      data.leases ?? [],
      (id: string) => prisma.satelliteLease.count({ where: { id } }),
      leaseSatelliteOffice,
    ],
  ] as const;
  for (const [rows, exists, create] of steps) {
    for (const { key: _key, ...row } of rows) {
      if ((await exists(row.id)) > 0) continue;
      await create({ prisma }, row);
      created += 1;
    }
  }
  for (const visit of data.patrolVisits ?? []) {
    if (await prisma.patrolVisit.findUnique({ where: { id: visit.id }, select: { id: true } })) {
      continue;
    }
    // Recorded by the hub, not by a member: demo data is official, its summaries in effect.
    await recordPatrolVisit({ prisma }, visit, { recordedBy: null, speaksFor: HUB_SPEAKS_FOR_ALL });
    created += 1;
  }
  // Past stays, written as rows: checkIn records an entry now and announces it, and these
  // are history for the figures, not people entering today.
  const visits = await prisma.visit.createMany({
    data: (data.visits ?? []).map((visit) => ({
      id: visit.id,
      memberId: visit.memberId as string,
      spaceId: visit.spaceId as string,
      roomId: (visit.roomId as string | null) ?? null,
      checkedInAt: new Date(visit.checkedInAt as string),
      checkedOutAt: new Date(visit.checkedOutAt as string),
      autoCheckedOut: Boolean(visit.autoCheckedOut),
    })),
    skipDuplicates: true,
  });
  created += visits.count;
  return { created };
}
