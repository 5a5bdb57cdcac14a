import { createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { startTestService, type TestService } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData, startSpacesService } from '../app.js';

// The demo data as `npm start` loads it, through the subgraph: every space has what the
// directory shows (facilities, weekly hours, coordinates), so open-at, near and the figures
// answer something; the illustrative values say so; loading twice adds nothing.

const migrationsDir = new URL('../../prisma/migrations', import.meta.url).pathname;
let service: TestService;
let firstLoad: { created: number };

beforeAll(async () => {
  service = await startTestService({
    name: 'spaces-demo',
    migrationsDir,
    start: startSpacesService,
    bus: createInProcessBus(),
    logger: createLogger({ name: 'spaces-demo-test', level: 'silent' }),
  });
  firstLoad = await seedDemoData({ databaseUrl: service.databaseUrl });
});

afterAll(async () => {
  await service?.stop();
});

type DemoSpace = {
  name: string;
  facilities: string[];
  latitude: number | null;
  longitude: number | null;
  description: string | null;
  openingHours: { weekly: { weekday: string; opens: string; closes: string }[] };
  networks: { network: { name: string } }[];
};

const ALL = `{ spaces(first: 100) { totalCount nodes {
  name facilities latitude longitude description
  openingHours { weekly { weekday opens closes } } networks { network { name } } } } }`;
const SEARCH = `query ($f: SpaceFilter) { spaces(filter: $f, first: 100) { nodes { name distanceKm } } }`;

describe('demo data', () => {
  it('gives every space facilities, weekly hours and coordinates, flagged as illustrative', async () => {
    expect(firstLoad.created).toBeGreaterThan(0);
    const response = await service.gql<{ spaces: { totalCount: number; nodes: DemoSpace[] } }>(ALL);
    expect(response.errors).toBeUndefined();
    const spaces = response.data!.spaces.nodes;
    // The eleven spaces of the documents (shared demo-data.yaml).
    expect(response.data!.spaces.totalCount).toBe(11);
    for (const space of spaces) {
      expect([space.name, space.facilities.length > 0]).toEqual([space.name, true]);
      expect([space.name, space.openingHours.weekly.length > 0]).toEqual([space.name, true]);
      expect(space.latitude).toEqual(expect.any(Number));
      expect(space.longitude).toEqual(expect.any(Number));
      expect(space.description).toContain('illustrative');
    }
    const byName = new Map(spaces.map((space) => [space.name, space]));
    // The documents' own facilities are kept beside the illustrative ones.
    expect(byName.get('テレワークセンターしおじり')!.facilities).toEqual(
      expect.arrayContaining(['TV_CONFERENCE', 'SATELLITE_OFFICES']),
    );
    expect(byName.get('Coworking Cafe 36')!.networks.map((n) => n.network.name)).toEqual([
      '北海道コワーキング共通チケット',
    ]);
  });

  it('finds the Chushin three sites near Shiojiri, nearest first', async () => {
    const response = await service.gql<{
      spaces: { nodes: { name: string; distanceKm: number }[] };
    }>(SEARCH, { f: { near: { latitude: 36.115, longitude: 137.953, radiusKm: 20 } } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.spaces.nodes.map((node) => node.name)).toEqual([
      'Colabo',
      'テレワークセンターしおじり',
      'Social Hub Space Knower(s)',
    ]);
  });

  it('answers open-at by each space’s hours and Japan’s holidays', async () => {
    const openAt = async (tokyo: string) =>
      (
        await service.gql<{ spaces: { nodes: { name: string }[] } }>(SEARCH, {
          f: { openAt: new Date(`${tokyo}+09:00`).toISOString(), prefecture: '長野県' },
        })
      )
        .data!.spaces.nodes.map((node) => node.name)
        .sort();
    // A Wednesday morning: all three Nagano spaces.
    expect(await openAt('2026-12-09T10:00')).toEqual([
      'Colabo',
      'Social Hub Space Knower(s)',
      'テレワークセンターしおじり',
    ]);
    // A Sunday: the centre and Knower(s) are closed.
    expect(await openAt('2026-12-13T10:00')).toEqual(['Colabo']);
    // 勤労感謝の日 (Mon 2026-11-23, a public holiday): the centre closes on holidays.
    expect(await openAt('2026-11-23T10:00')).toEqual(['Colabo', 'Social Hub Space Knower(s)']);
    // New Year: the public buildings are closed.
    expect(await openAt('2026-12-31T10:00')).toEqual(['Social Hub Space Knower(s)']);
  });

  it('adds nothing when loaded again', async () => {
    expect(await seedDemoData({ databaseUrl: service.databaseUrl })).toMatchObject({ created: 0 });
  });
});
