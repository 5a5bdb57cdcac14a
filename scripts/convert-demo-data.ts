/**
 * Turns the shared facts (../shared/demo-data.yaml) into each service's own seed file
 * (services/<name>/seed/demo.json). Run by hand when the facts change:
 *   pnpm exec tsx scripts/convert-demo-data.ts ../shared/demo-data.yaml
 * The services never read ../shared at run time. Ids are UUID v5 of a stable key, so the
 * services agree on them (a space's operatorId is the members service's organization id).
 * People are invented here — the documents' people are not demo members.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { parse } from 'yaml';

const NAMESPACE = '6f1c8a52-2b1e-4f0e-9d53-8a7c0e4b2a10';
const id = (kind: string, key: string) => uuidv5(`${kind}:${key}`, NAMESPACE);

type Facts = {
  municipalities: { code: string; name: string; prefecture: string }[];
  organizations: {
    key: string;
    name: string;
    kind: string;
    municipality?: string;
    note?: string;
    members?: string[];
  }[];
  spaces: {
    key: string;
    name: string;
    kind: string;
    municipality: string;
    operator?: string;
    opened?: string;
    admission?: string;
    url?: string;
    address?: string;
    phone?: string;
    facilities?: string[];
    note?: string;
  }[];
  programs: { title: string; kind: string; provider: string; note?: string; space?: string }[];
};

const source = process.argv[2] ?? '../shared/demo-data.yaml';
const facts = parse(readFileSync(source, 'utf8')) as Facts;
const root = new URL('..', import.meta.url).pathname;
const write = (service: string, data: unknown) => {
  const dir = join(root, 'services', service, 'seed');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'demo.json'), `${JSON.stringify(data, null, 2)}\n`);
};
const upper = (kebab: string) => kebab.toUpperCase().replaceAll('-', '_');

// A provider named only in prose (総務省, Tokyo 千代田区) becomes an organization too.
const extraOrganizations = [
  {
    key: 'mic',
    name: '総務省',
    kind: 'government-bureau',
    municipality: '131016',
    note: 'ふるさとテレワーク推進事業',
  },
];
const organizations = [...facts.organizations, ...extraOrganizations];
const orgId = (key: string) => {
  if (!organizations.some((o) => o.key === key)) throw new Error(`unknown organization ${key}`);
  return id('organization', key);
};
const spaceId = (key: string) => id('space', key);
const spaceFacility: Record<string, string> = {
  'tv-conference-room': 'TV_CONFERENCE',
  'tv-conference': 'TV_CONFERENCE',
};

// ---- spaces
const factNetwork = (key: string) => {
  const network = (
    facts as unknown as {
      networks: { key: string; name: string; spaces?: string[]; note?: string }[];
    }
  ).networks.find((n) => n.key === key);
  if (!network) throw new Error(`unknown network ${key}`);
  return network;
};
const networkSpaces = (key: string) => factNetwork(key).spaces ?? [];
// The documents name the networks and their spaces but no terms: the terms below are invented,
// and the description says so to everyone who reads the network (not only to this file).
const ILLUSTRATIVE_TERMS =
  '各拠点の受け入れ条件 (無料日数・割引・事前連絡・対象プラン) は資料に記載がなく、デモ用の例示です (the hosts’ terms are not in the source documents: illustrative)';
const describeNetwork = (key: string) =>
  [factNetwork(key).note, ILLUSTRATIVE_TERMS].filter(Boolean).join(' — ');
const spaceNetworks = [
  {
    key: 'chushin-3',
    name: factNetwork('chushin-3').name,
    nameEn: 'Chushin telework three-site network',
    // Three sites linked by TV conference (seeds 004): members of one use the others.
    kind: 'LINKED_SITES',
    description: describeNetwork('chushin-3'),
    spaces: networkSpaces('chushin-3').map((space) => ({
      space,
      freeDaysPerMonth: 4,
      discountPercent: 0,
      // The centre's satellite offices admit no one unannounced.
      noticeDays: space === 'tc-shiojiri' ? 1 : 0,
      minimumPlan: 'MONTHLY',
    })),
  },
  {
    key: 'hokkaido-common-ticket',
    name: factNetwork('hokkaido-common-ticket').name,
    nameEn: 'Hokkaido coworking common ticket',
    // A free trial ticket usable at all four spaces (seeds 002).
    kind: 'COMMON_TICKET',
    description: describeNetwork('hokkaido-common-ticket'),
    spaces: networkSpaces('hokkaido-common-ticket').map((space) => ({
      space,
      freeDaysPerMonth: 1,
      discountPercent: 10,
      noticeDays: 0,
      // Garage labs screens by aspiration: a guest must be a regular somewhere.
      minimumPlan: space === 'garage-labs' ? 'MONTHLY' : 'DROP_IN',
    })),
  },
];
const spaceMemberships = [
  ['naoko', 'tc-shiojiri', 'RESIDENT', '2018-04-01', null],
  ['makoto', 'knowers', 'MONTHLY', '2016-04-01', '2019-03-31'],
  ['sakura', 'colabo', 'MONTHLY', '2017-04-01', null],
  ['kenta', 'garage-labs', 'MONTHLY', '2012-01-01', null],
  ['aya', 'dorinoki', 'MONTHLY', '2024-04-01', null],
  ['sho', 'koharubiyori', 'DROP_IN', '2025-04-01', null],
] as const;
const spacePasses = [
  ['naoko', 'tc-shiojiri', 'chushin-3', '2026-04-01', '2027-03-31'],
  ['kenta', 'garage-labs', 'hokkaido-common-ticket', '2026-04-01', '2027-03-31'],
  ['sho', 'koharubiyori', 'hokkaido-common-ticket', '2026-10-01', '2027-03-31'],
] as const;
// Readings of the Japanese names, so members typing kana or romaji find them (the directory's
// search column is built from nameKana). Names in Latin letters need none.
const spaceNameKana: Record<string, string> = {
  dorinoki: 'さっぽろおおどおりコワーキングスペース ドリノキ',
  koharubiyori: 'コワーキングスペースこはるびより',
  cahoots: 'コワーキング カフーツ',
  bisate: 'びばいおしごとひろば びーさて',
  'tc-shiojiri': 'テレワークセンターしおじり',
};
// The documents give no opening hours, coordinates or capacities, and few facilities: so that
// `openNow`, `near`, the figures and the open-data CSV show something in the demo, each space
// gets the values below — invented, plausible for its kind, and flagged in its description
// (ILLUSTRATIVE_DIRECTORY) so no reader takes them for the space's real ones. Coordinates are
// the approximate centre of the space's district (for Knower(s): near JR Matsumoto station, as
// the documents say), rounded to three decimals.
const ILLUSTRATIVE_DIRECTORY =
  '営業時間・座標・定員と一部の設備は資料に記載がなく、デモ用の例示です (hours, coordinates, capacity and some facilities are not in the source documents: illustrative)';
type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
const WEEKDAYS_MON_FRI: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];
const WEEKDAYS_MON_SAT: Weekday[] = [...WEEKDAYS_MON_FRI, 'SATURDAY'];
const EVERY_DAY: Weekday[] = [...WEEKDAYS_MON_SAT, 'SUNDAY'];
const TUE_SUN: Weekday[] = EVERY_DAY.filter((day) => day !== 'MONDAY');
const weekly = (days: Weekday[], opens: string, closes: string) =>
  days.map((weekday) => ({ weekday, opens, closes }));
// Public centres close for the New Year holidays (年末年始), as Japanese public buildings do.
const NEW_YEAR_CLOSED = [
  '2026-12-29',
  '2026-12-30',
  '2026-12-31',
  '2027-01-01',
  '2027-01-02',
  '2027-01-03',
].map((date) => ({ date, intervals: [] }));
const spaceDirectory: Record<
  string,
  {
    latitude: number;
    longitude: number;
    capacity: number;
    facilities: string[];
    openingHours: {
      weekly: { weekday: Weekday; opens: string; closes: string }[];
      exceptions?: { date: string; intervals: { opens: string; closes: string }[] }[];
      closedOnPublicHolidays?: boolean;
    };
  }
> = {
  'garage-labs': {
    latitude: 43.067,
    longitude: 141.351,
    capacity: 30,
    facilities: ['WIFI', 'SHARED_DESKS', 'MEETING_ROOM'],
    openingHours: { weekly: weekly(WEEKDAYS_MON_FRI, '10:00', '20:00') },
  },
  dorinoki: {
    latitude: 43.06,
    longitude: 141.354,
    capacity: 25,
    facilities: ['WIFI', 'SHARED_DESKS', 'KITCHEN', 'LOCKERS'],
    openingHours: {
      weekly: [
        ...weekly(WEEKDAYS_MON_FRI, '09:00', '21:00'),
        ...weekly(['SATURDAY'], '10:00', '18:00'),
      ],
    },
  },
  koharubiyori: {
    latitude: 41.797,
    longitude: 140.757,
    capacity: 12,
    facilities: ['WIFI', 'SHARED_DESKS', 'KITCHEN', 'PARKING'],
    openingHours: { weekly: weekly(TUE_SUN, '10:00', '18:00') },
  },
  cafe36: {
    latitude: 43.056,
    longitude: 141.341,
    capacity: 20,
    facilities: ['WIFI', 'SHARED_DESKS', 'KITCHEN'],
    openingHours: { weekly: weekly(EVERY_DAY, '10:00', '22:00') },
  },
  cahoots: {
    latitude: 34.691,
    longitude: 135.194,
    capacity: 20,
    facilities: ['WIFI', 'SHARED_DESKS', 'MEETING_ROOM'],
    openingHours: { weekly: weekly(WEEKDAYS_MON_SAT, '10:00', '19:00') },
  },
  pax: {
    latitude: 35.644,
    longitude: 139.669,
    capacity: 20,
    facilities: ['WIFI', 'SHARED_DESKS', 'LOCKERS'],
    openingHours: { weekly: weekly(WEEKDAYS_MON_FRI, '10:00', '22:00') },
  },
  juso: {
    latitude: 34.72,
    longitude: 135.483,
    capacity: 20,
    facilities: ['WIFI', 'SHARED_DESKS', 'MEETING_ROOM'],
    openingHours: { weekly: weekly(WEEKDAYS_MON_SAT, '10:00', '20:00') },
  },
  bisate: {
    latitude: 43.33,
    longitude: 141.86,
    capacity: 30,
    facilities: ['WIFI', 'PRINTER', 'PARKING'],
    openingHours: {
      weekly: weekly(WEEKDAYS_MON_FRI, '09:00', '17:00'),
      exceptions: NEW_YEAR_CLOSED,
      closedOnPublicHolidays: true,
    },
  },
  colabo: {
    latitude: 36.116,
    longitude: 137.954,
    capacity: 40,
    facilities: ['WIFI', 'MEETING_ROOM', 'PRINTER'],
    openingHours: {
      weekly: weekly(EVERY_DAY, '09:00', '21:00'),
      exceptions: NEW_YEAR_CLOSED,
    },
  },
  'tc-shiojiri': {
    latitude: 36.118,
    longitude: 137.951,
    capacity: 40,
    facilities: ['WIFI', 'MEETING_ROOM', 'ACCESS_CONTROL', 'LOCKERS'],
    openingHours: {
      weekly: weekly(WEEKDAYS_MON_FRI, '09:00', '18:00'),
      exceptions: NEW_YEAR_CLOSED,
      closedOnPublicHolidays: true,
    },
  },
  knowers: {
    latitude: 36.232,
    longitude: 137.968,
    capacity: 25,
    facilities: ['WIFI', 'SHARED_DESKS', 'LOCKERS'],
    openingHours: { weekly: weekly(WEEKDAYS_MON_SAT, '09:00', '21:00') },
  },
};
const directoryOf = (key: string) => {
  const directory = spaceDirectory[key];
  if (!directory) throw new Error(`no demo directory values for space ${key}`);
  return directory;
};
const extraMunicipalities = [{ code: '131016', name: '千代田区', prefecture: '東京都' }];
write('spaces', {
  municipalities: [...facts.municipalities, ...extraMunicipalities],
  spaces: facts.spaces.map((s) => ({
    id: spaceId(s.key),
    key: s.key,
    name: s.name,
    nameKana: spaceNameKana[s.key] ?? null,
    kind: upper(s.kind),
    municipalityCode: s.municipality,
    operatorId: s.operator ? orgId(s.operator) : null,
    // Month-precision facts ("2011-11") are stored as the first of the month.
    openedOn: s.opened
      ? /^\d{4}$/.test(String(s.opened))
        ? `${s.opened}-01-01`
        : /^\d{4}-\d{2}$/.test(String(s.opened))
          ? `${s.opened}-01`
          : String(s.opened)
      : null,
    admissionPolicy: s.admission === 'screened' ? 'SCREENED_BY_ASPIRATION' : 'OPEN_TO_ALL',
    websiteUrl: s.url ?? null,
    // The documents name only the building and floor (建物名等), never 町字 or 番地.
    building: s.address ?? null,
    phone: s.phone ?? null,
    // The documents' facilities first, then the illustrative ones they do not name.
    facilities: [
      ...new Set([
        ...(s.facilities ?? []).map((f) => spaceFacility[f] ?? upper(f)),
        ...directoryOf(s.key).facilities,
      ]),
    ],
    latitude: directoryOf(s.key).latitude,
    longitude: directoryOf(s.key).longitude,
    capacity: directoryOf(s.key).capacity,
    openingHours: directoryOf(s.key).openingHours,
    description: [s.note, ILLUSTRATIVE_DIRECTORY].filter(Boolean).join(' — '),
  })),
  // Networks of the documents with terms: the documents give none, so these are invented, kept
  // modest (a free trial day, a little notice) and varied enough to show each rule.
  networks: spaceNetworks.map(({ key, spaces, ...network }) => ({
    id: id('network', key),
    key,
    ...network,
    sites: spaces.map(({ space, ...terms }) => ({ spaceId: spaceId(space), ...terms })),
  })),
  // Memberships of invented demo members (the members service's people, by the same ids).
  memberships: spaceMemberships.map(([person, space, plan, startsOn, endsOn]) => ({
    id: id('membership', `${person}@${space}`),
    memberId: id('member', person),
    spaceId: spaceId(space),
    plan,
    startsOn,
    endsOn,
  })),
  passes: spacePasses.map(([person, space, network, validFrom, validUntil]) => ({
    id: id('pass', `${person}@${network}`),
    networkId: id('network', network),
    membershipId: id('membership', `${person}@${space}`),
    validFrom,
    validUntil,
  })),
  // Seeds 000: SCS visits Garage labs and ドリノキ regularly, hears coworkers' needs and takes
  // consultation and expert-dispatch requests. One such visit, by the hub's operator (staff at
  // the SCS), with a named and an unnamed requester.
  patrolVisits: [
    {
      id: id('patrol-visit', 'scs-garage-labs-2012-08-20'),
      spaceId: spaceId('garage-labs'),
      supporterId: orgId('scs'),
      visitedOn: '2012-08-20',
      visitorIds: [id('member', 'hub-admin')],
      notes:
        '運営者と面談。Web 制作の受注を増やしたいという声、創業資金の相談先を知りたいという声が多い。SCS の支援メニューを紹介した。',
      needs: ['WORK', 'FUNDING', 'STARTING_BUSINESS'],
      requests: [
        {
          kind: 'CONSULTATION',
          subject: '創業資金の融資について (日本政策金融公庫への相談)',
          requesterMemberId: id('member', 'aya'),
        },
        { kind: 'EXPERT_DISPATCH', subject: 'Web マーケティングの専門家に来てほしい' },
      ],
      publicSummary:
        'Garage labs を訪問し、コワーカーの皆さんに SCS の支援メニューを紹介しました。融資と専門家派遣のご相談をお受けしました。',
    },
  ],
  // Seeds 004: テレワークセンターしおじり's satellite offices are partitioned per company, no
  // entry without permission. The documents name one tenant (ネットワンシステムズ); room B is
  // left vacant, so canEnter shows both a let and an unlet office. Names, capacities and dates
  // are invented.
  rooms: [
    ['tc-shiojiri', 'common', 'コワーキングスペース', 'Coworking area', 'COMMON_AREA', 30],
    [
      'tc-shiojiri',
      'meeting',
      '会議室 (TV 会議)',
      'Meeting room (TV conference)',
      'MEETING_ROOM',
      8,
    ],
    [
      'tc-shiojiri',
      'satellite-a',
      'サテライトオフィス A',
      'Satellite office A',
      'SATELLITE_OFFICE',
      6,
    ],
    [
      'tc-shiojiri',
      'satellite-b',
      'サテライトオフィス B',
      'Satellite office B',
      'SATELLITE_OFFICE',
      4,
    ],
  ].map(([space, key, name, nameEn, kind, capacity]) => ({
    id: id('room', `${space}/${key}`),
    spaceId: spaceId(String(space)),
    name,
    nameEn,
    kind,
    capacity,
  })),
  leases: [
    {
      id: id('satellite-lease', 'tc-shiojiri/satellite-a@netone'),
      roomId: id('room', 'tc-shiojiri/satellite-a'),
      tenantOrganizationId: orgId('netone'),
      startsOn: '2018-04-01',
      endsOn: null,
    },
  ],
  // A few past stays of a resident, for the figures: one checked out by the closing-time job.
  visits: [
    ['2026-11-30T00:05:00Z', '2026-11-30T08:40:00Z', false],
    ['2026-12-01T00:10:00Z', '2026-12-01T09:00:00Z', true],
    ['2026-12-02T01:00:00Z', '2026-12-02T06:30:00Z', false],
  ].map(([checkedInAt, checkedOutAt, autoCheckedOut]) => ({
    id: id('visit', `naoko@tc-shiojiri/${checkedInAt}`),
    memberId: id('member', 'naoko'),
    spaceId: spaceId('tc-shiojiri'),
    roomId: id('room', 'tc-shiojiri/common'),
    checkedInAt,
    checkedOutAt,
    autoCheckedOut,
  })),
});

// ---- members: organizations from the documents, invented people
const people = [
  {
    key: 'misaki',
    displayName: '佐藤 美咲',
    displayNameKana: 'さとう みさき',
    kind: 'TELEWORKER',
    municipalityCode: '012157',
    skills: [
      ['data-entry', 3],
      ['office-processing', 3],
    ],
  },
  {
    key: 'yumi',
    displayName: '高橋 由美',
    displayNameKana: 'たかはし ゆみ',
    kind: 'TELEWORKER',
    municipalityCode: '012157',
    skills: [
      ['data-entry', 4],
      ['office-processing', 4],
      ['accounting', 2],
    ],
  },
  {
    key: 'kenta',
    displayName: '田中 健太',
    displayNameKana: 'たなか けんた',
    kind: 'FREELANCER',
    municipalityCode: '011002',
    skills: [
      ['web-building', 4],
      ['design', 3],
    ],
  },
  {
    key: 'aya',
    displayName: '山本 彩',
    displayNameKana: 'やまもと あや',
    kind: 'FOUNDER',
    municipalityCode: '011002',
    skills: [
      ['marketing', 3],
      ['writing', 4],
    ],
  },
  {
    key: 'sho',
    displayName: '小林 翔',
    displayNameKana: 'こばやし しょう',
    kind: 'STUDENT',
    municipalityCode: '012025',
    skills: [['programming', 2]],
  },
  {
    key: 'naoko',
    displayName: '中村 直子',
    displayNameKana: 'なかむら なおこ',
    kind: 'TELEWORKER',
    municipalityCode: '202151',
    skills: [
      ['web-building', 3],
      ['data-entry', 4],
    ],
  },
  {
    key: 'makoto',
    displayName: '伊藤 誠',
    displayNameKana: 'いとう まこと',
    kind: 'TELEWORKER',
    municipalityCode: '202029',
    skills: [
      ['web-building', 4],
      ['programming', 3],
    ],
  },
  {
    key: 'sakura',
    displayName: '渡部 さくら',
    displayNameKana: 'わたなべ さくら',
    kind: 'EMPLOYEE',
    municipalityCode: '202151',
    skills: [['office-processing', 4]],
  },
  {
    key: 'takuya',
    displayName: '加藤 拓也',
    displayNameKana: 'かとう たくや',
    kind: 'SMALL_BUSINESS',
    municipalityCode: '281000',
    skills: [
      ['translation', 4],
      ['writing', 3],
    ],
  },
  {
    key: 'hana',
    displayName: '吉田 花',
    displayNameKana: 'よしだ はな',
    kind: 'EMPLOYEE',
    municipalityCode: '131121',
    skills: [
      ['video', 3],
      ['marketing', 2],
    ],
  },
  // Knower(s) (Matsumoto, seeds 004): a leader and two workers the Shiojiri centre's delegated
  // part goes to. Invented, illustrative people.
  {
    key: 'ryo',
    displayName: '松本 亮',
    displayNameKana: 'まつもと りょう',
    kind: 'TELEWORKER',
    municipalityCode: '202029',
    skills: [
      ['web-building', 4],
      ['design', 3],
    ],
  },
  {
    key: 'mai',
    displayName: '井上 舞',
    displayNameKana: 'いのうえ まい',
    kind: 'TELEWORKER',
    municipalityCode: '202029',
    skills: [
      ['web-building', 3],
      ['writing', 2],
    ],
  },
  {
    key: 'daiki',
    displayName: '木村 大輝',
    displayNameKana: 'きむら だいき',
    kind: 'TELEWORKER',
    municipalityCode: '202029',
    skills: [
      ['web-building', 2],
      ['design', 2],
    ],
  },
  {
    key: 'hub-admin',
    displayName: '北 ハブ管理者',
    displayNameKana: 'きた はぶかんりしゃ',
    kind: 'EMPLOYEE',
    municipalityCode: '011002',
    skills: [['office-processing', 3]],
  },
] as const;
// Profile details beyond the directory facts: what a signed-in demo member sees of themself.
const profiles: Record<string, Record<string, unknown>> = {
  misaki: {
    bio: '子育てをしながら在宅でデータ入力の仕事をしています。',
    aspiration: '地元の美唄で、家族との時間を大切にしながら働き続けたい。',
    interests: ['子育て', 'テレワーク', '簿記'],
    availableHoursPerWeek: 20,
    contactPhone: '0126-00-0001',
    profileVisibility: 'MEMBERS',
    // APPI art. 27: a consent names its recipient. 美唄市 is the demo's one partner (below).
    consents: [['bibai-city', 'municipal-relocation-support']],
    verifiedSkills: ['data-entry'],
  },
  yumi: {
    bio: 'センターの登録ワーカーからスタッフになりました。',
    aspiration: '美唄のテレワーカーを増やしたい。',
    interests: ['人材育成', '経理'],
    availableHoursPerWeek: 30,
    profileVisibility: 'PUBLIC',
  },
  kenta: {
    bio: 'Web 制作のフリーランス。札幌のコワーキングを拠点にしています。',
    aspiration: 'コワーカー同士で仕事を回せる仕組みをつくりたい。',
    interests: ['Web', 'デザイン', 'コミュニティ'],
    availableHoursPerWeek: 25,
    profileVisibility: 'PUBLIC',
  },
  aya: {
    bio: '東京から札幌へ移住して起業しました。',
    aspiration: '道内の小さな事業者の発信を手伝いたい。',
    interests: ['起業', '移住', 'ライティング'],
    homeMunicipalityCode: '131016',
    relocationInterest: 'RELOCATED',
    profileVisibility: 'MEMBERS',
  },
  sho: {
    bio: '情報系の学生です。',
    aspiration: 'プログラミングで地域の課題を解決したい。',
    interests: ['プログラミング', 'Jelly'],
    availableHoursPerWeek: 10,
    relocationInterest: 'CONSIDERING',
    profileVisibility: 'STAFF',
  },
  naoko: {
    aspiration: '塩尻でスキルを伸ばして、チームで仕事を受けたい。',
    interests: ['Web', '子育て'],
    availableHoursPerWeek: 15,
    contactPhone: '0263-00-0002',
    profileVisibility: 'MEMBERS',
    verifiedSkills: ['data-entry'],
  },
  makoto: {
    bio: 'ワーカーからリーダー、センタースタッフへ。',
    interests: ['チーム運営', 'Web'],
    availableHoursPerWeek: 35,
    profileVisibility: 'PUBLIC',
  },
  ryo: {
    bio: 'Knower(s) のリーダー。センターから受けた仕事をワーカーに割り振っています（例示）。',
    interests: ['チーム運営', 'Web'],
    availableHoursPerWeek: 30,
    profileVisibility: 'MEMBERS',
    verifiedSkills: ['web-building'],
  },
  mai: {
    bio: 'Knower(s) の登録ワーカー（例示）。',
    interests: ['Web', 'ライティング'],
    availableHoursPerWeek: 20,
    profileVisibility: 'MEMBERS',
    verifiedSkills: ['web-building'],
  },
  daiki: {
    bio: 'Knower(s) の登録ワーカー。研修を受けながら Web 制作を始めたところです（例示）。',
    interests: ['Web', 'デザイン'],
    availableHoursPerWeek: 15,
    profileVisibility: 'MEMBERS',
  },
  takuya: {
    bio: '翻訳と執筆の小さな事務所を営んでいます。',
    availableHoursPerWeek: 20,
    interests: ['翻訳', '協同組合'],
    homeMunicipalityCode: '011002',
    relocationInterest: 'PLANNING',
    profileVisibility: 'MEMBERS',
  },
};
const memberId = (key: string) => id('member', key);
// Organisations a hub admin has made partners, with their ceiling: only they hold API keys,
// and members consent to a named one of them receiving their data.
const partners: Record<string, { basis: string; scopes: string[]; purposes: string[] }> = {
  'bibai-city': {
    basis: 'MUNICIPALITY',
    scopes: ['public:read', 'statistics:read', 'members:personal:read'],
    purposes: ['municipal-relocation-support'],
  },
};
const DEMO_PASSWORD = 'coworking-demo-2026';
const affiliations = [
  // Bibai: registered teleworkers of the centre run by Port Hefner.
  ['misaki', 'port-hefner', 'WORKER', '2019-06-01', null],
  // Shiojiri: a registered worker of the centre (KADO).
  ['naoko', 'shiojiri-kosha', 'WORKER', '2018-04-01', null],
  // The hub's own operator is a hub administrator (an account role), also staff at the SCS.
  ['hub-admin', 'scs', 'ADMIN', '2015-04-01', null],
  // Bibai: a local staff member hired from the registered teleworkers.
  ['yumi', 'port-hefner', 'STAFF', '2018-04-01', null],
  // Shiojiri/Matsumoto: worker → leader at the partner space → centre staff.
  ['makoto', 'knowers-operator', 'WORKER', '2016-04-01', '2017-03-31'],
  ['makoto', 'knowers-operator', 'LEADER', '2017-04-01', '2019-03-31'],
  ['makoto', 'shiojiri-kosha', 'STAFF', '2019-04-01', null],
  ['sakura', 'shiojiri-kosha', 'COORDINATOR', '2016-10-01', null],
  ['takuya', 'bcc', 'EXPERT', '2013-01-01', null],
  // Knower(s) today (invented): its leader and two registered workers.
  ['ryo', 'knowers-operator', 'LEADER', '2021-04-01', null],
  ['mai', 'knowers-operator', 'WORKER', '2022-04-01', null],
  ['daiki', 'knowers-operator', 'WORKER', '2023-04-01', null],
  ['kenta', 'garage-labs-operator', 'CONTACT', '2012-01-01', null],
] as const;
write('members', {
  organizations: organizations.map((o) => ({
    id: orgId(o.key),
    key: o.key,
    name: o.name,
    kind: upper(o.kind === 'public-finance' ? 'public-finance-corporation' : o.kind),
    municipalityCode: o.municipality ?? null,
    description: o.note ?? null,
    memberOrganizationIds: (o.members ?? []).map(orgId),
    ...(partners[o.key] ? { partner: partners[o.key] } : {}),
  })),
  // Every demo person can sign in with DEMO_PASSWORD (printed by the run command).
  demoPassword: DEMO_PASSWORD,
  members: people.map((p) => {
    const {
      consents = [],
      verifiedSkills = [],
      ...profile
    } = (profiles[p.key] ?? {}) as {
      consents?: [recipient: string, purpose: string][];
      verifiedSkills?: string[];
    };
    return {
      id: memberId(p.key),
      key: p.key,
      displayName: p.displayName,
      displayNameKana: p.displayNameKana,
      kind: p.kind,
      municipalityCode: p.municipalityCode,
      skills: p.skills.map(([code, level]) => ({
        code,
        level,
        isVerified: verifiedSkills.includes(code),
      })),
      ...profile,
      account: {
        email: `${p.key}@demo.coworking-hub.example`,
        roles: p.key === 'hub-admin' ? ['admin'] : [],
      },
      consents: consents.map(([recipient, purpose]) => ({
        recipientOrganizationId: orgId(recipient),
        purpose,
      })),
    };
  }),
  // The partner municipality's key, within its ceiling (demo only: the key is public, printed
  // at start-up).
  apiKeys: [
    {
      id: id('api-key', 'bibai-city'),
      organizationId: orgId('bibai-city'),
      name: '美唄市 移住・定住支援システム (demo)',
      key: 'hub_demo_bibai_city_partner_key_0000000000000000',
      scopes: ['public:read', 'statistics:read', 'members:personal:read'],
      purpose: 'municipal-relocation-support',
      rateLimitPerMinute: 600,
    },
  ],
  affiliations: affiliations.map(([member, organization, role, from, to]) => ({
    id: id('affiliation', `${member}:${organization}:${role}`),
    memberId: memberId(member),
    organizationId: orgId(organization),
    role,
    startsOn: from,
    endsOn: to,
  })),
});

// ---- events: past events as dated; Jelly recurs (RRULE), so it is always upcoming.
const hokkaidoJellyVenues = ['garage-labs', 'dorinoki', 'koharubiyori', 'cafe36'];
write('events', {
  events: [
    {
      key: 'party-2012',
      title: '北海道コワーキング・パーティー2012',
      titleEn: 'Hokkaido Coworking Party 2012',
      kind: 'PARTY',
      startsAt: '2012-09-28T18:00:00+09:00',
      endsAt: '2012-09-28T21:00:00+09:00',
      organizerIds: [orgId('scs')],
      venues: [{ placeName: '札幌市内 (Sapporo)', municipalityCode: '011002' }],
      description: 'トークセッションと道内4スペース運営者のパネル。オンライン中継あり。',
      tags: [],
    },
    {
      key: 'sapporo-forum-2012',
      title: '札幌コワーキング・フォーラム',
      titleEn: 'Sapporo Coworking Forum',
      kind: 'FORUM',
      startsAt: '2012-09-25T18:00:00+09:00',
      endsAt: '2012-09-25T20:00:00+09:00',
      organizerIds: [orgId('scs')],
      venues: [{ placeName: '札幌市内 (Sapporo)', municipalityCode: '011002' }],
      tags: [],
    },
    {
      key: 'kansai-forum-2011',
      title: 'コワーキング・フォーラム関西 2011',
      titleEn: 'Coworking Forum Kansai 2011',
      kind: 'FORUM',
      startsAt: '2011-12-10T13:00:00+09:00',
      endsAt: '2011-12-10T18:00:00+09:00',
      organizerIds: [],
      venues: [{ placeName: '関西 (Kansai)', municipalityCode: '271004' }],
      description: '約20人のボランティアが2か月で企画・運営。',
      tags: [],
    },
    {
      key: 'asia-conference-2013',
      title: 'Coworking Asia Conference Tokyo 2013',
      titleEn: 'Coworking Asia Conference Tokyo 2013',
      kind: 'CONFERENCE',
      startsAt: '2013-09-01T10:00:00+09:00',
      endsAt: '2013-09-01T18:00:00+09:00',
      organizerIds: [orgId('bcc')],
      venues: [{ placeName: '東京 (Tokyo)', municipalityCode: null }],
      description: '日英バイリンガルの国際会議。',
      tags: ['bilingual'],
    },
    {
      key: 'bibai-seminar-2017',
      title: 'びばいテレワーク推進セミナー',
      titleEn: 'Bibai Telework Seminar',
      kind: 'SEMINAR',
      startsAt: '2017-03-01T14:00:00+09:00',
      endsAt: '2017-03-01T16:00:00+09:00',
      organizerIds: [orgId('bibai-city')],
      venues: [{ spaceId: spaceId('bisate') }],
      tags: [],
    },
    {
      key: 'bibai-seminar-2018',
      title: '第2回 びばいテレワーク推進セミナー',
      titleEn: '2nd Bibai Telework Seminar',
      kind: 'SEMINAR',
      startsAt: '2018-02-01T14:00:00+09:00',
      endsAt: '2018-02-01T16:00:00+09:00',
      organizerIds: [orgId('bibai-city')],
      venues: [{ spaceId: spaceId('bisate'), capacity: 50 }],
      description: '約50名が参加。',
      tags: [],
    },
    {
      key: 'hokkaido-jelly',
      title: 'Jelly 同時開催 — 道内4スペース',
      titleEn: 'Jelly, simultaneously at four Hokkaido spaces',
      kind: 'JELLY',
      startsAt: '2012-10-17T19:00:00+09:00',
      endsAt: '2012-10-17T21:00:00+09:00',
      recurrence: 'FREQ=MONTHLY;BYDAY=3WE',
      organizerIds: [],
      venues: hokkaidoJellyVenues.map((k) => ({ spaceId: spaceId(k) })),
      description:
        '無料・誰でも参加可。テーマを決めてお茶を飲みながら対話。4会場をストリーミングで結ぶ。',
      tags: ['jelly'],
    },
    {
      key: 'worldwide-jelly-week',
      title: 'Worldwide Jelly Week',
      titleEn: 'Worldwide Jelly Week',
      kind: 'JELLY',
      startsAt: '2013-01-14T10:00:00+09:00',
      endsAt: '2013-01-14T18:00:00+09:00',
      recurrence: 'FREQ=YEARLY;BYMONTH=1;BYDAY=3MO',
      organizerIds: [],
      venues: [{ placeName: '世界各地 (worldwide)', municipalityCode: null }],
      description: '毎年1月第3週。Jelly とコワーキングの認知を広めるイベント。',
      tags: ['worldwide-jelly-week'],
    },
  ].map(({ key, ...event }) => ({ id: id('event', key), key, ...event })),
});

// ---- matching: illustrative orders in the documents' categories (volumes, rates and people
// invented), and how the work flows: the Shiojiri centre passes part of an order to Knower(s),
// whose leader distributes it (004); Bibai's centre works for its Tokyo head office (003); the
// cooperative takes a larger job as a team (共同受託, 001).
const ILLUSTRATIVE = '（数値・人物は例示です / figures and people are illustrative）';
const workOrderId = (key: string) => id('work-order', key);
write('matching', {
  workOrders: [
    {
      key: 'bibai-data-entry',
      title: 'データ入力業務（東京本社より）',
      description: `ポートヘフナーの東京本社から美唄のセンター（びーさて）へ送られるデータ入力。${ILLUSTRATIVE}`,
      category: 'DATA_ENTRY',
      clientId: orgId('port-hefner'),
      receivingCentreId: orgId('port-hefner'),
      payModel: 'PER_UNIT',
      rate: 30,
      volume: 2000,
      volumeUnit: 'UNITS',
      requiredSkills: [{ skillCode: 'data-entry', minimumLevel: 2 }],
    },
    {
      key: 'shiojiri-web',
      title: 'ウェブサイト構築（デモ）',
      description: `ネットワンシステムズからテレワークセンターしおじりへの発注。一部を Knower(s) に再委託します。${ILLUSTRATIVE}`,
      category: 'WEB_SITE_BUILDING',
      clientId: orgId('netone'),
      receivingCentreId: orgId('shiojiri-kosha'),
      payModel: 'HOURLY',
      rate: 1500,
      volume: 120,
      volumeUnit: 'HOURS',
      requiredSkills: [{ skillCode: 'web-building', minimumLevel: 2 }],
    },
    {
      key: 'shiojiri-office',
      title: '事務処理（デモ）',
      description: `ネットワンシステムズからテレワークセンターしおじりへの事務処理の発注。${ILLUSTRATIVE}`,
      category: 'OFFICE_PROCESSING',
      clientId: orgId('netone'),
      receivingCentreId: orgId('shiojiri-kosha'),
      payModel: 'HOURLY',
      rate: 1100,
      volume: 80,
      volumeUnit: 'HOURS',
      requiredSkills: [{ skillCode: 'office-processing', minimumLevel: 3 }],
    },
    {
      key: 'bcc-team-translation',
      title: '製品マニュアルの翻訳（共同受託）',
      description: `コワーキング協同組合が組合員のチームで受ける大きめの仕事: リーダー1名、翻訳者2名、レビュー1名。${ILLUSTRATIVE}`,
      category: 'TRANSLATION',
      clientId: orgId('netone'),
      receivingCentreId: orgId('bcc'),
      payModel: 'HOURLY',
      rate: 2500,
      volume: 200,
      volumeUnit: 'HOURS',
      requiredSkills: [{ skillCode: 'translation', minimumLevel: 3 }],
      roles: [
        { role: 'LEADER', count: 1, skillCodes: ['translation'] },
        { role: 'WORKER', count: 2, skillCodes: ['translation'] },
        { role: 'REVIEWER', count: 1, skillCodes: ['writing'] },
      ],
    },
  ].map(({ key, ...order }) => ({ id: workOrderId(key), key, ...order })),
  // Steps of the work's flow, replayed through matching's operations in this order once the
  // people are known to matching (members' events). `by`: who acts (the centre's staff, the
  // delegation's leader); `status`: how far the assignment has come.
  delegations: [
    {
      key: 'shiojiri-web/knowers',
      workOrderId: workOrderId('shiojiri-web'),
      partnerOrganizationId: orgId('knowers-operator'),
      volume: 60,
      leaderMemberId: memberId('ryo'),
      note: 'トップページ以外の下層ページ制作をお願いします（例示）。',
      by: memberId('makoto'),
    },
  ],
  assignments: [
    {
      key: 'shiojiri-web/naoko',
      workOrderId: workOrderId('shiojiri-web'),
      memberId: memberId('naoko'),
      role: 'WORKER',
      volume: 20,
      by: memberId('makoto'),
      status: 'ACCEPTED',
    },
    {
      key: 'shiojiri-web/knowers/mai',
      delegation: 'shiojiri-web/knowers',
      memberId: memberId('mai'),
      role: 'WORKER',
      volume: 30,
      by: memberId('ryo'),
      status: 'DONE',
      deliveredVolume: 30,
      rating: 5,
    },
    {
      key: 'shiojiri-web/knowers/daiki',
      delegation: 'shiojiri-web/knowers',
      memberId: memberId('daiki'),
      role: 'WORKER',
      volume: 20,
      by: memberId('ryo'),
      status: 'ACCEPTED',
    },
    {
      key: 'bibai-data-entry/misaki',
      workOrderId: workOrderId('bibai-data-entry'),
      memberId: memberId('misaki'),
      role: 'WORKER',
      volume: 40,
      by: memberId('yumi'),
      status: 'IN_PROGRESS',
    },
    {
      key: 'bcc-team-translation/takuya',
      workOrderId: workOrderId('bcc-team-translation'),
      memberId: memberId('takuya'),
      role: 'LEADER',
      volume: 40,
      by: memberId('hub-admin'),
      status: 'ACCEPTED',
    },
  ],
  // People finding people (seeds 002: "we want to try this — is anyone able to help?").
  helpRequests: [
    {
      key: 'aya-web-shop',
      askerId: memberId('aya'),
      title: '地元の特産品を売るウェブショップを試したい',
      description:
        '文章と販促はできますが、サイトの構築とデザインを手伝ってくれる人を探しています。',
      skills: [
        { code: 'web-building', minLevel: 3 },
        { code: 'design', minLevel: 2 },
      ],
      municipalityCode: '011002',
      visibleTo: 'MEMBERS',
    },
  ].map(({ key, ...request }) => ({ id: id('help-request', key), key, ...request })),
});

// ---- support-programs
write('support-programs', {
  programs: facts.programs.map((p) => {
    const provider = p.provider === '総務省' ? 'mic' : p.provider;
    return {
      id: id('program', `${provider}:${p.title}`),
      title: p.title,
      kind: upper(p.kind),
      providerId: orgId(provider),
      description: p.note ?? null,
      spaceId: p.space ? spaceId(p.space) : null,
    };
  }),
});
console.log('seed files written');
