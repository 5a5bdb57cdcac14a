import { seedDemoData as seedEvents } from '@hub/events';
import { seedDemoData as seedMatching } from '@hub/matching';
import { seedDemoData as seedMembers } from '@hub/members';
import { seedDemoData as seedSpaces } from '@hub/spaces';
import { seedDemoData as seedSupportPrograms } from '@hub/support-programs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, signUpHubAdmin } from './support/accounts.js';
import { type HubStack, startHub } from './support/hub.js';

// The five subgraphs behind the real gateway, with the demo data, on real Postgres and NATS.
let hub: HubStack;

beforeAll(async () => {
  hub = await startHub();
  const url = (name: string) => ({ databaseUrl: hub.services[name]!.databaseUrl });
  await seedSpaces(url('spaces'));
  await seedMembers(url('members'));
  await seedEvents(url('events'));
  await seedMatching(url('matching'));
  await seedSupportPrograms(url('support-programs'));
}, 60_000);

afterAll(() => hub?.stop());

type DemoSpace = {
  name: string;
  municipality: { code: string; name: string };
  operator: { name: string } | null;
  upcomingEvents: { title: string }[] | null;
};

describe('the gateway over all five subgraphs', () => {
  it('answers the demo query: Garage labs, its operator and an upcoming event', async () => {
    const response = await hub.query<{ spaces: DemoSpace[] }>(
      '{ spaces { name municipality { code name } operator { name } upcomingEvents { title } } }',
    );
    expect(response.errors).toBeUndefined();
    const garage = response.data!.spaces.find((space) => space.name === 'Garage labs');
    expect(garage).toEqual({
      name: 'Garage labs',
      municipality: { code: '011002', name: '札幌市' },
      operator: { name: '株式会社24-7' },
      upcomingEvents: [expect.objectContaining({ title: expect.stringContaining('Jelly') })],
    });
    expect(response.data!.spaces).toHaveLength(11);
  });

  it('joins one space across spaces, members, events, matching and support-programs', async () => {
    const response = await hub.query<{
      spaces: {
        name: string;
        operator: { name: string; workOrders: { title: string }[]; programs: { title: string }[] };
        upcomingEvents: { title: string }[];
      }[];
    }>(`{
      spaces(filter: { text: "びーさて" }) {
        name
        operator { name workOrders { title } programs { title } }
        upcomingEvents { title }
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.spaces).toEqual([
      {
        name: '美唄おしごとひろば「びーさて」',
        operator: {
          name: 'ポートヘフナー株式会社',
          workOrders: [{ title: 'データ入力業務（東京本社より）' }],
          programs: [{ title: 'テレワーカー スキルアップ研修' }],
        },
        upcomingEvents: [],
      },
    ]);
  });

  it('batches references: 11 operators resolved with a bounded number of member queries', async () => {
    const before = hub.services.members!.queryCount();
    const response = await hub.query('{ spaces { operator { name kind } } }');
    expect(response.errors).toBeUndefined();
    // One _entities call from the gateway → one organization query, whatever the space count.
    expect(hub.services.members!.queryCount() - before).toBeLessThanOrEqual(1);
  });

  it('rejects invalid input with a stable code and writes nothing', async () => {
    const admin = await signUpHubAdmin(hub);
    const response = await hub.query(
      `mutation { createSpace(input: { name: "テスト", kind: COWORKING, municipalityCode: "011001" }) { id } }`,
      {},
      bearer(admin.accessToken),
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_MUNICIPALITY_CODE');
    const count = await hub.query<{ spaces: unknown[] }>(
      '{ spaces(filter: { text: "テスト" }) { name } }',
    );
    expect(count.data!.spaces).toHaveLength(0);
  });
});
