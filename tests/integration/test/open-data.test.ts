import { type RunningGateway, startGateway } from '@hub/gateway';
import { TEST_GATEWAY_SECRET } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { sql } from './support/accounts.js';
import { type HubStack, logger, startGatewayOverHub, startHub } from './support/hub.js';

// 公共施設一覧 (docs/open-data.md) end to end: the real gateway fetches the CSV the real spaces
// subgraph renders from its PostgreSQL rows, and a CSV library reads it as a partner would.

/** The standard's columns, in its order, written out here apart from the code's own list. */
const STANDARD_COLUMNS = [
  '全国地方公共団体コード',
  'ID',
  '地方公共団体名',
  '名称',
  '名称_カナ',
  '名称_英字',
  '名称_通称',
  'POIコード',
  '所在地_連結表記',
  '所在地_都道府県',
  '所在地_市区町村',
  '所在地_町字',
  '所在地_番地以下',
  '建物名等(方書)',
  '緯度',
  '経度',
  '電話番号',
  '内線番号',
  '法人番号',
  '団体名',
  '利用可能曜日',
  '開始時間',
  '終了時間',
  '利用可能日時特記事項',
  '説明',
  'バリアフリー情報',
  'URL',
  '備考',
];

const FULL_ID = '00000000-0000-7000-8000-000000000001';
const BARE_ID = '00000000-0000-7000-8000-000000000002';
const SAPPORO_ID = '00000000-0000-7000-8000-000000000003';
const NINE_TO_SIX = [{ opens: '09:00', closes: '18:00' }];
const DESCRIPTION = '=1+1 は数式ではなく説明です。"引用", カンマ\n2行目';

const EMPTY_ROW = Object.fromEntries(STANDARD_COLUMNS.map((column) => [column, '']));

/** Every column of the file's rows, as a partner reads them. */
const EXPECTED = {
  full: {
    ...EMPTY_ROW,
    全国地方公共団体コード: '012025',
    ID: FULL_ID,
    地方公共団体名: '北海道函館市',
    名称: 'はこだてテスト拠点',
    名称_カナ: 'ハコダテテストキョテン',
    名称_英字: 'Hakodate Test Hub',
    所在地_連結表記: '北海道函館市若松町12-5',
    所在地_都道府県: '北海道',
    所在地_市区町村: '函館市',
    所在地_町字: '若松町',
    所在地_番地以下: '12-5',
    '建物名等(方書)': '駅前ビル 3階',
    緯度: '41.7737',
    経度: '140.7264',
    電話番号: '0138-00-0000',
    利用可能曜日: '月火水木金',
    開始時間: '09:00',
    終了時間: '18:00',
    利用可能日時特記事項: '土 10:00-17:00、祝日休業、2099-12-31 休業',
    説明: DESCRIPTION,
    URL: 'https://hakodate.example.jp/',
    備考: '種別: コワーキングスペース (coworking space)、利用: 誰でも利用可 (open to all)',
  },
  bare: {
    ...EMPTY_ROW,
    全国地方公共団体コード: '012025',
    ID: BARE_ID,
    地方公共団体名: '北海道函館市',
    名称: '名前だけの拠点',
    所在地_連結表記: '北海道函館市',
    所在地_都道府県: '北海道',
    所在地_市区町村: '函館市',
    備考: '種別: テレワークセンター (telework centre)、利用: 会員のみ (members only)',
  },
  sapporo: {
    ...EMPTY_ROW,
    全国地方公共団体コード: '011002',
    ID: SAPPORO_ID,
    地方公共団体名: '北海道札幌市',
    名称: 'さっぽろテスト拠点',
    名称_カナ: 'サッポロテストキョテン',
    所在地_連結表記: '北海道札幌市北区北7条西5丁目',
    所在地_都道府県: '北海道',
    所在地_市区町村: '札幌市',
    所在地_町字: '北区北7条西',
    所在地_番地以下: '5丁目',
    利用可能曜日: '火水木金土',
    開始時間: '10:00',
    終了時間: '22:00',
    利用可能日時特記事項: '月 10:00-12:00, 13:00-22:00',
    備考: '種別: インキュベーション施設 (incubator)、利用: 志・目的による審査あり (screened by aspiration)',
  },
};

let hub: HubStack;
let base: string;

const JSON_COLUMNS = new Set(['weekly_hours', 'hours_exceptions']);

/** A space row as spaces stores it; the CSV is read from these rows alone. */
async function insertSpace(values: Record<string, unknown>) {
  const columns = Object.keys(values);
  const placeholders = columns.map((column, i) =>
    JSON_COLUMNS.has(column) ? `$${i + 1}::jsonb` : `$${i + 1}`,
  );
  await sql(
    hub,
    'spaces',
    `INSERT INTO space (${columns.join(', ')}, updated_at) VALUES (${placeholders.join(', ')}, now())`,
    Object.values(values),
  );
}

beforeAll(async () => {
  hub = await startHub({ services: ['spaces'], bus: 'in-process' });
  base = new URL('/', hub.gatewayUrl!).origin;
  await sql(
    hub,
    'spaces',
    `INSERT INTO municipality (code, name, prefecture) VALUES
       ('012025', '函館市', '北海道'), ('011002', '札幌市', '北海道'), ('202151', '塩尻市', '長野県')`,
  );
  await insertSpace({
    id: FULL_ID,
    name: 'はこだてテスト拠点',
    name_kana: 'はこだてテストきょてん',
    name_en: 'Hakodate Test Hub',
    kind: 'coworking',
    municipality_code: '012025',
    town: '若松町',
    address_line: '12-5',
    building: '駅前ビル 3階',
    latitude: 41.7737,
    longitude: 140.7264,
    phone: '0138-00-0000',
    description: DESCRIPTION,
    website_url: 'https://hakodate.example.jp/',
    weekly_hours: JSON.stringify({
      MONDAY: NINE_TO_SIX,
      TUESDAY: NINE_TO_SIX,
      WEDNESDAY: NINE_TO_SIX,
      THURSDAY: NINE_TO_SIX,
      FRIDAY: NINE_TO_SIX,
      SATURDAY: [{ opens: '10:00', closes: '17:00' }],
    }),
    // The past exception is history, not something a visitor needs.
    hours_exceptions: JSON.stringify({ '2000-01-01': [], '2099-12-31': [] }),
    closed_on_holidays: true,
  });
  await insertSpace({
    id: BARE_ID,
    name: '名前だけの拠点',
    kind: 'telework-centre',
    municipality_code: '012025',
    admission_policy: 'members-only',
  });
  const split = [
    { opens: '10:00', closes: '12:00' },
    { opens: '13:00', closes: '22:00' },
  ];
  const late = [{ opens: '10:00', closes: '22:00' }];
  await insertSpace({
    id: SAPPORO_ID,
    name: 'さっぽろテスト拠点',
    name_kana: 'さっぽろてすときょてん',
    kind: 'incubator',
    municipality_code: '011002',
    town: '北区北7条西',
    address_line: '5丁目',
    admission_policy: 'screened-by-aspiration',
    weekly_hours: JSON.stringify({
      MONDAY: split,
      TUESDAY: late,
      WEDNESDAY: late,
      THURSDAY: late,
      FRIDAY: late,
      SATURDAY: late,
    }),
  });
  // Not listed: not open.
  await insertSpace({
    id: '00000000-0000-7000-8000-000000000004',
    name: '開設予定の拠点',
    kind: 'coworking',
    municipality_code: '012025',
    status: 'planned',
  });
  await insertSpace({
    id: '00000000-0000-7000-8000-000000000005',
    name: '閉鎖した拠点',
    kind: 'coworking',
    municipality_code: '202151',
    status: 'closed',
  });
}, 60_000);

afterAll(() => hub?.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers });

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

function records(csv: Buffer | string, options: { bom?: boolean } = {}) {
  return parse(csv, { bom: options.bom ?? false, record_delimiter: '\r\n' }) as string[][];
}

describe('公共施設一覧 CSV through the gateway', () => {
  it('lists the open spaces of a municipality in the standard columns, every value checked', async () => {
    const response = await get('/open-data/public-facilities/012025.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="012025_public_facility.csv"',
    );
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    const body = await bytesOf(response);
    const text = body.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(false);
    // CRLF after every record; a bare LF only inside the quoted description.
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '').split('\n')).toHaveLength(2);

    const [header, ...rows] = records(body);
    expect(header).toEqual(STANDARD_COLUMNS);
    const objects = parse(body, { columns: true, record_delimiter: '\r\n' });
    expect(rows).toHaveLength(2);
    expect(objects).toEqual([EXPECTED.full, EXPECTED.bare]);
  });

  it('lists a prefecture by its JIS code: each row keeps its own municipality', async () => {
    const response = await get('/open-data/public-facilities/01.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="01_public_facility.csv"',
    );
    const objects = parse(await bytesOf(response), { columns: true, record_delimiter: '\r\n' });
    expect(objects).toEqual([EXPECTED.sapporo, EXPECTED.full, EXPECTED.bare]);
  });

  it('answers the header alone for a known place without open spaces', async () => {
    for (const code of ['202151', '20']) {
      const response = await get(`/open-data/public-facilities/${code}.csv`);
      expect(response.status).toBe(200);
      expect(records(await bytesOf(response))).toEqual([STANDARD_COLUMNS]);
    }
  });

  it('gives spreadsheets a BOM and defuses formulas, otherwise the same file', async () => {
    const plain = records(await bytesOf(await get('/open-data/public-facilities/012025.csv')));
    for (const flag of ['1', 'true']) {
      const response = await get(`/open-data/public-facilities/012025.csv?bom=${flag}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="012025_public_facility.csv"',
      );
      const body = await bytesOf(response);
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const withBom = records(body, { bom: true });
      const descriptionAt = STANDARD_COLUMNS.indexOf('説明');
      expect(withBom[1]![descriptionAt]).toBe(`'${DESCRIPTION}`);
      // Apart from that one defused cell, the same records.
      withBom[1]![descriptionAt] = DESCRIPTION;
      expect(withBom).toEqual(plain);
    }
  });

  it('answers If-None-Match with 304, and HEAD with the headers alone', async () => {
    const first = await get('/open-data/public-facilities/012025.csv');
    const etag = first.headers.get('etag')!;
    const length = (await bytesOf(first)).length;

    const again = await get('/open-data/public-facilities/012025.csv', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await bytesOf(again)).length).toBe(0);
    // The spreadsheet variant is another file with its own tag.
    const spreadsheet = await get('/open-data/public-facilities/012025.csv?bom=1', {
      'if-none-match': etag,
    });
    expect(spreadsheet.status).toBe(200);
    expect(spreadsheet.headers.get('etag')).not.toBe(etag);

    const head = await fetch(`${base}/open-data/public-facilities/012025.csv`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-length')).toBe(String(length));
    expect((await bytesOf(head)).length).toBe(0);
  });

  it('lets a page on any origin read it', async () => {
    const response = await get('/open-data/public-facilities/012025.csv', {
      origin: 'https://some-map.example.org',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('etag');
  });

  it.each([
    ['012026', 400, 'INVALID_MUNICIPALITY_CODE', 'チェックディジット'],
    ['12025', 400, 'INVALID_MUNICIPALITY_CODE', '6桁'],
    ['abc', 400, 'INVALID_MUNICIPALITY_CODE', '6桁'],
    ['00', 400, 'INVALID_MUNICIPALITY_CODE', '01〜47'],
    ['48', 400, 'INVALID_MUNICIPALITY_CODE', '01〜47'],
    ['131016', 404, 'NOT_FOUND', '131016'],
    ['13', 404, 'NOT_FOUND', '東京都'],
  ])(
    'refuses %s with %i %s and a message in both languages',
    async (code, status, errorCode, ja) => {
      const response = await get(`/open-data/public-facilities/${code}.csv`);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await response.json()) as { code: string; message: string };
      expect(Object.keys(body).sort()).toEqual(['code', 'message']);
      expect(body.code).toBe(errorCode);
      expect(body.message).toContain(ja);
      expect(body.message).toMatch(/\(.*[a-z].*\)$/);
    },
  );

  it('counts the files against the anonymous rate limit of the client address', async () => {
    const strict = await startGatewayOverHub(hub, { rateLimits: { anonymousPerMinute: 2 } });
    try {
      const origin = new URL(strict.url).origin;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) {
        last = await fetch(`${origin}/open-data/public-facilities/012025.csv`);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await last!.json()).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) });
    } finally {
      await strict.stop();
    }
  });
});

describe('公共施設一覧 CSV while spaces is down', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    // Nothing listens on port 9: every subgraph is unreachable.
    const nowhere = 'http://127.0.0.1:9/graphql';
    gateway = await startGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      subgraphUrls: {
        spaces: nowhere,
        members: nowhere,
        events: nowhere,
        matching: nowhere,
        'support-programs': nowhere,
      },
      logger,
    });
  });
  afterAll(() => gateway?.stop());

  it('answers 503 SERVICE_UNAVAILABLE with no stack trace', async () => {
    const response = await fetch(
      `${new URL(gateway.url).origin}/open-data/public-facilities/012025.csv`,
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const body = (await response.json()) as { code: string; message: string };
    expect(body).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
    expect(body.message).not.toMatch(/ECONNREFUSED|at .*\.js/);
  });
});
