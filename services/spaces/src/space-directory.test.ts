import { createInProcessBus } from '@hub/event-bus';
import { createLogger } from '@hub/service-kit';
import { asAdmin, type Stack, sendAsGateway, startStack } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { seedDemoData, startSpacesService } from './app.js';
import { connectDatabase } from './db.js';
import { refreshSearchText } from './domain/refresh-search-text.js';

// The directory through the subgraph on real PostgreSQL: every field of a space round-trips,
// every refusal is typed and writes nothing, and search, open-at and near find the right spaces.
const logger = createLogger({ name: 'spaces-directory-test', level: 'silent' });
const bus = createInProcessBus({ logger });
let stack: Stack;
let url: string;

beforeAll(async () => {
  stack = await startStack({
    services: [
      {
        name: 'spaces',
        migrationsDir: new URL('../prisma/migrations', import.meta.url).pathname,
        start: startSpacesService,
      },
    ],
    bus,
    logger,
  });
  url = stack.services.spaces!.url;
  await seedDemoData({ databaseUrl: stack.services.spaces!.databaseUrl });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await bus.close();
});

const sql = async (text: string) => {
  const client = new pg.Client({ connectionString: stack.services.spaces!.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
};
const counts = async () =>
  (
    await sql('SELECT (SELECT count(*) FROM space) AS s, (SELECT count(*) FROM outbox_event) AS o')
  )[0];

const admin = asAdmin();
const call = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
  sendAsGateway<T>(url, query, variables, { identity: admin });

const SPACE_FIELDS = `id name nameKana kind admissionPolicy town addressLine building latitude longitude
  dropInPriceYen monthlyPriceYen photoUrls links
  openingHours { weekly { weekday opens closes } exceptions { date isClosed intervals { opens closes } } closedOnPublicHolidays }`;
const ERROR_FIELDS = '... on Error { __typename code message messageEn field }';
const CREATE = `mutation($input: CreateSpaceInput!) {
  createSpace(input: $input) { ... on CreateSpaceSuccess { space { ${SPACE_FIELDS} } } ${ERROR_FIELDS} }
}`;
const UPDATE = `mutation($input: UpdateSpaceInput!) {
  updateSpace(input: $input) { ... on UpdateSpaceSuccess { space { ${SPACE_FIELDS} } } ${ERROR_FIELDS} }
}`;
type Created = { createSpace: { space: { id: string } & Record<string, unknown> } };

const HOURS = {
  weekly: [
    { weekday: 'MONDAY', opens: '09:00', closes: '12:00' },
    { weekday: 'MONDAY', opens: '13:00', closes: '18:00' },
    { weekday: 'WEDNESDAY', opens: '09:00', closes: '18:00' },
  ],
  exceptions: [
    { date: '2026-12-28', intervals: [] },
    { date: '2026-05-06', intervals: [{ opens: '10:00', closes: '15:00' }] },
  ],
  closedOnPublicHolidays: true,
};

async function createSpace(input: Record<string, unknown>) {
  const response = await call<Created>(CREATE, {
    input: { kind: 'COWORKING', municipalityCode: '202151', ...input },
  });
  expect(response.errors).toBeUndefined();
  expect(response.data!.createSpace.space).toBeDefined();
  return response.data!.createSpace.space;
}

describe('a space, complete', () => {
  it('round-trips kind, admission, address parts, prices, photos, links and hours', async () => {
    const input = {
      name: 'インキュベーションラボ塩尻',
      nameKana: 'インキュベーションラボシオジリ',
      kind: 'INCUBATOR',
      admissionPolicy: 'MEMBERS_ONLY',
      town: '大門一番町',
      addressLine: '12番2号',
      building: 'えんぱーく 3階',
      latitude: 36.1153,
      longitude: 137.9531,
      dropInPriceYen: 0,
      monthlyPriceYen: 11000,
      photoUrls: ['https://example.jp/a.jpg'],
      links: ['https://example.jp/', 'https://x.com/example'],
      openingHours: HOURS,
    };
    const space = await createSpace(input);
    expect(space).toEqual({
      id: space.id,
      ...input,
      openingHours: {
        weekly: HOURS.weekly,
        exceptions: [
          { date: '2026-05-06', isClosed: false, intervals: [{ opens: '10:00', closes: '15:00' }] },
          { date: '2026-12-28', isClosed: true, intervals: [] },
        ],
        closedOnPublicHolidays: true,
      },
    });
    const read = await call<{ space: unknown }>(
      `query($id: ID!) { space(id: $id) { ${SPACE_FIELDS} } }`,
      {
        id: space.id,
      },
    );
    expect(read.data!.space).toEqual(space);
    // A price can be cleared, other fields stay.
    const updated = await call<{ updateSpace: { space: Record<string, unknown> } }>(UPDATE, {
      input: { id: space.id, monthlyPriceYen: null },
    });
    expect(updated.data!.updateSpace.space).toEqual({ ...space, monthlyPriceYen: null });
  });

  it.each([
    [
      { latitude: 19.9, longitude: 137 },
      'InvalidInputError',
      'COORDINATES_OUTSIDE_JAPAN',
      'latitude',
    ],
    [
      { latitude: 35, longitude: 154.5 },
      'InvalidInputError',
      'COORDINATES_OUTSIDE_JAPAN',
      'longitude',
    ],
    [
      { latitude: 35, longitude: 121.9 },
      'InvalidInputError',
      'COORDINATES_OUTSIDE_JAPAN',
      'longitude',
    ],
    [{ municipalityCode: '013005' }, 'NotFoundError', 'UNKNOWN_MUNICIPALITY', 'municipalityCode'],
    [{ dropInPriceYen: -1 }, 'InvalidInputError', 'INVALID_PRICE', 'dropInPriceYen'],
    [{ monthlyPriceYen: -500 }, 'InvalidInputError', 'INVALID_PRICE', 'monthlyPriceYen'],
    [
      { openingHours: { weekly: [{ weekday: 'MONDAY', opens: '18:00', closes: '09:00' }] } },
      'InvalidInputError',
      'INVALID_OPENING_HOURS',
      'openingHours.weekly.0',
    ],
    [
      {
        openingHours: {
          weekly: [
            { weekday: 'MONDAY', opens: '09:00', closes: '13:00' },
            { weekday: 'MONDAY', opens: '12:00', closes: '18:00' },
          ],
        },
      },
      'InvalidInputError',
      'INVALID_OPENING_HOURS',
      'openingHours.weekly.1',
    ],
    [
      { openingHours: { weekly: [{ weekday: 'MONDAY', opens: '9:00', closes: '18:00' }] } },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'openingHours.weekly.0.opens',
    ],
    [
      { photoUrls: ['http://example.jp/a.jpg'] },
      'InvalidInputError',
      'BAD_USER_INPUT',
      'photoUrls.0',
    ],
    [{ links: ['javascript:alert(1)'] }, 'InvalidInputError', 'BAD_USER_INPUT', 'links.0'],
  ])('refuses %j as %s (%s) and writes nothing', async (change, typename, code, field) => {
    const before = await counts();
    const response = await call<{ createSpace: Record<string, string> }>(CREATE, {
      input: { name: '不正な拠点', kind: 'COWORKING', municipalityCode: '202151', ...change },
    });
    expect(response.errors).toBeUndefined();
    const error = response.data!.createSpace;
    expect(error).toMatchObject({ __typename: typename, code, field: `input.${field}` });
    expect(error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(error.messageEn).not.toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(await counts()).toEqual(before);
  });

  it('refuses overlapping hours on update and keeps the stored hours', async () => {
    const space = await createSpace({ name: '更新テスト拠点', openingHours: HOURS });
    const before = await sql(`SELECT weekly_hours, updated_at FROM space WHERE id = '${space.id}'`);
    const response = await call<{ updateSpace: Record<string, string> }>(UPDATE, {
      input: {
        id: space.id,
        name: '変わらない名前',
        openingHours: {
          exceptions: [
            {
              date: '2026-05-06',
              intervals: [
                { opens: '10:00', closes: '15:00' },
                { opens: '14:00', closes: '16:00' },
              ],
            },
          ],
        },
      },
    });
    expect(response.data!.updateSpace).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_OPENING_HOURS',
      field: 'input.openingHours.exceptions.0.intervals.1',
    });
    expect(
      await sql(`SELECT weekly_hours, updated_at FROM space WHERE id = '${space.id}'`),
    ).toEqual(before);
  });
});

type Page = {
  spaces: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { name: string; distanceKm: number | null }[];
  };
};
const SEARCH = `query($f: SpaceFilter, $first: Int, $after: String) {
  spaces(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { name distanceKm }
  }
}`;
const names = async (filter: Record<string, unknown>) => {
  const response = await call<Page>(SEARCH, { f: filter });
  expect(response.errors).toBeUndefined();
  return response.data!.spaces.nodes.map((node) => node.name);
};

describe('search', () => {
  beforeAll(async () => {
    await createSpace({
      name: '交流拠点ほしぞら',
      nameKana: 'コウリュウキョテンホシゾラ',
      nameEn: 'Hoshizora Exchange Hub',
      description: '星空の見える高原のワークスペース',
      dropInPriceYen: 500,
      facilities: ['WIFI', 'KITCHEN'],
      admissionPolicy: 'MEMBERS_ONLY',
    });
  });

  it.each([
    ['kanji', '交流拠点'],
    ['hiragana', 'ほしぞら'],
    ['katakana', 'ホシゾラ'],
    ['half-width katakana', 'ﾎｼｿﾞﾗ'],
    ['romaji with long vowels', 'kouryuukyoten'],
    ['romaji as typed', 'koryu kyoten'.replace(' ', '')],
    ['English, any case', 'EXCHANGE hub'],
    ['the description', '高原'],
  ])('finds a space by %s (%s)', async (_how, text) => {
    expect(await names({ text })).toEqual(['交流拠点ほしぞら']);
  });

  it('finds demo spaces by the reading of their names, in kana or romaji', async () => {
    for (const text of ['shiojiri', 'シオジリ', 'しおじり']) {
      expect(await names({ text })).toContain('テレワークセンターしおじり');
    }
    expect(await names({ text: 'bibai' })).toEqual(['美唄おしごとひろば「びーさて」']);
    expect(await names({ text: 'odori' })).toEqual(['さっぽろ大通コワーキングスペース ドリノキ']);
    expect(await names({ text: 'koharubiyori' })).toEqual(['コワーキングスペース小春日和']);
  });

  it('rewrites the search text when a name changes', async () => {
    const space = await createSpace({ name: '改名前ラウンジ', nameKana: 'カイメイマエラウンジ' });
    expect(await names({ text: 'kaimeimae' })).toEqual(['改名前ラウンジ']);
    await call(UPDATE, { input: { id: space.id, nameKana: 'アタラシイナマエ' } });
    expect(await names({ text: 'kaimeimae' })).toEqual([]);
    expect(await names({ text: 'atarashii' })).toEqual(['改名前ラウンジ']);
  });

  it('matches % and _ literally, with and without the SQL path', async () => {
    expect(await names({ text: '%' })).toEqual([]);
    expect(await names({ text: '_' })).toEqual([]);
    expect(await names({ text: '%', openAt: '2026-05-11T01:00:00Z' })).toEqual([]);
  });

  it('gives rows from before the search column their search text (run at start)', async () => {
    await sql(`INSERT INTO space (id, name, name_kana, kind, municipality_code, updated_at)
      VALUES ('00000000-0000-4000-8000-0000000000aa', '旧データ会館', 'キュウデータカイカン',
              'coworking', '202151', now())`);
    expect(await names({ text: 'kyuudeeta' })).toEqual([]);
    const database = connectDatabase({
      url: stack.services.spaces!.databaseUrl,
      poolMax: 1,
      logger,
    });
    try {
      expect(await refreshSearchText(database.prisma)).toBe(1);
      expect(await refreshSearchText(database.prisma)).toBe(0);
    } finally {
      await database.close(2_000);
    }
    expect(await names({ text: 'kyudeta' })).toEqual(['旧データ会館']);
    expect(await names({ text: 'きゅうでーた' })).toEqual(['旧データ会館']);
  });

  it('filters by admission policy, price ceiling and facilities together', async () => {
    expect(
      await names({
        admissionPolicy: 'MEMBERS_ONLY',
        maxDropInPriceYen: 500,
        facilities: ['KITCHEN'],
      }),
    ).toEqual(['交流拠点ほしぞら']);
    expect(await names({ text: 'ほしぞら', maxDropInPriceYen: 499 })).toEqual([]);
    const total = await call<Page>(SEARCH, { f: { maxDropInPriceYen: 500 } });
    expect(total.data!.spaces.totalCount).toBe(total.data!.spaces.nodes.length);
  });
});

describe('open at a time (Asia/Tokyo, holidays and exceptions)', () => {
  beforeAll(async () => {
    await createSpace({ name: '時間テストA 祝日休み', openingHours: HOURS });
    await createSpace({
      name: '時間テストB 祝日営業',
      openingHours: { ...HOURS, exceptions: [], closedOnPublicHolidays: false },
    });
  });
  const openAt = async (tokyo: string) =>
    (await names({ openAt: new Date(`${tokyo}+09:00`).toISOString(), text: '時間テスト' })).sort();

  it('is open on a weekday inside an interval and closed in its gap', async () => {
    expect(await openAt('2026-05-11T10:00')).toEqual([
      '時間テストA 祝日休み',
      '時間テストB 祝日営業',
    ]);
    expect(await openAt('2026-05-11T12:30')).toEqual([]);
    expect(await openAt('2026-05-11T18:00')).toEqual([]);
  });

  it('closes on a public holiday only the spaces closed on holidays', async () => {
    // 2026-07-20 海の日, a Monday.
    expect(await openAt('2026-07-20T10:00')).toEqual(['時間テストB 祝日営業']);
  });

  it('lets a dated exception win over the holiday and the week', async () => {
    // Wednesday 2026-05-06 is a substitute holiday; A has special hours 10–15 that day.
    expect(await openAt('2026-05-06T09:30')).toEqual(['時間テストB 祝日営業']);
    expect(await openAt('2026-05-06T14:00')).toEqual([
      '時間テストA 祝日休み',
      '時間テストB 祝日営業',
    ]);
    // Monday 2026-12-28: A is closed by exception, B open.
    expect(await openAt('2026-12-28T10:00')).toEqual(['時間テストB 祝日営業']);
  });

  it('answers openNow with the present time', async () => {
    const allDay = [
      'MONDAY',
      'TUESDAY',
      'WEDNESDAY',
      'THURSDAY',
      'FRIDAY',
      'SATURDAY',
      'SUNDAY',
    ].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' }));
    await createSpace({ name: '時刻テスト 常時営業', openingHours: { weekly: allDay } });
    await createSpace({ name: '時刻テスト 営業時間なし' });
    expect(await names({ openNow: true, text: '時刻テスト' })).toEqual(['時刻テスト 常時営業']);
  });

  it('counts what it pages and refuses openAt with openNow', async () => {
    const page = await call<Page>(SEARCH, {
      f: { openAt: '2026-07-20T01:00:00Z', text: '時間テスト' },
    });
    expect(page.data!.spaces.totalCount).toBe(1);
    const both = await call(SEARCH, { f: { openAt: '2026-07-20T01:00:00Z', openNow: true } });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('near (GiST on point, exact great-circle distance)', () => {
  // Shiojiri station ~ (36.1156, 137.9535); Matsumoto ~13 km north-east; Sapporo ~ 830 km.
  const here = { latitude: 36.1156, longitude: 137.9535 };
  beforeAll(async () => {
    await createSpace({ name: '近傍テスト 1km', latitude: 36.1246, longitude: 137.9535 });
    await createSpace({ name: '近傍テスト 5km', latitude: 36.1156, longitude: 138.009 });
    await createSpace({ name: '近傍テスト 3km', latitude: 36.0886, longitude: 137.9535 });
    await createSpace({ name: '近傍テスト 20km', latitude: 36.2956, longitude: 137.9535 });
  });

  it('orders by distance within the radius and gives each distance', async () => {
    const response = await call<Page>(SEARCH, {
      f: { near: { ...here, radiusKm: 10 }, text: '近傍テスト' },
    });
    const nodes = response.data!.spaces.nodes;
    expect(nodes.map((node) => node.name)).toEqual([
      '近傍テスト 1km',
      '近傍テスト 3km',
      '近傍テスト 5km',
    ]);
    expect(nodes[0]!.distanceKm).toBeCloseTo(1.0, 1);
    expect(nodes[1]!.distanceKm).toBeCloseTo(3.0, 1);
    expect(nodes[2]!.distanceKm).toBeCloseTo(4.98, 1);
    expect(response.data!.spaces.totalCount).toBe(3);
  });

  it('pages nearest first with cursors, each space once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { data?: Page | null } = await call<Page>(SEARCH, {
        f: { near: { ...here, radiusKm: 30 }, text: '近傍テスト' },
        first: 1,
        after,
      });
      seen.push(...page.data!.spaces.nodes.map((node) => node.name));
      after = page.data!.spaces.pageInfo.hasNextPage ? page.data!.spaces.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['近傍テスト 1km', '近傍テスト 3km', '近傍テスト 5km', '近傍テスト 20km']);
  });

  it('pages backwards nearest first, counting all matches', async () => {
    const filter = { near: { ...here, radiusKm: 30 }, text: '近傍テスト' };
    const all = await call<{ spaces: { edges: { cursor: string; node: { name: string } }[] } }>(
      'query($f: SpaceFilter) { spaces(filter: $f) { edges { cursor node { name } } } }',
      { f: filter },
    );
    const edges = all.data!.spaces.edges;
    const before = await call<Page>(
      'query($f: SpaceFilter, $b: String) { spaces(filter: $f, last: 2, before: $b) { totalCount pageInfo { hasNextPage endCursor } nodes { name distanceKm } } }',
      { f: filter, b: edges[3]!.cursor },
    );
    expect(before.data!.spaces.nodes.map((node) => node.name)).toEqual([
      '近傍テスト 3km',
      '近傍テスト 5km',
    ]);
    expect(before.data!.spaces.totalCount).toBe(4);
  });

  it('uses the spatial index for the box prefilter', async () => {
    // A few dozen rows would be scanned anyway: take sequential scans off the table to see
    // that the index can answer the query's box condition at all.
    const client = new pg.Client({ connectionString: stack.services.spaces!.databaseUrl });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(`EXPLAIN SELECT id FROM space s
        WHERE s.longitude IS NOT NULL AND s.latitude IS NOT NULL
          AND point(s.longitude, s.latitude) <@ box(point(137.9, 36.0), point(138.0, 36.2))`);
      expect(JSON.stringify(plan.rows)).toContain('space_location_gist');
    } finally {
      await client.end();
    }
  });

  it('leaves distanceKm null without near and refuses a radius beyond 500 km', async () => {
    const plain = await call<Page>(SEARCH, { f: { text: '近傍テスト 1km' } });
    expect(plain.data!.spaces.nodes).toEqual([{ name: '近傍テスト 1km', distanceKm: null }]);
    const far = await call(SEARCH, { f: { near: { ...here, radiusKm: 501 } } });
    expect(far.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.near.radiusKm',
    });
  });
});
