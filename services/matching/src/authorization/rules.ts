// Who may read what of a Worker: matching's personal-data table, under the hub's one rule (the
// service kit's ACCESS_BY_CALLER, the same as for Member in the members service). The schema
// takes each Worker field's group from WORKER_FIELDS (src/schema/worker.ts), the matrix test
// walks the viewers below against the running service, and matching's part of
// docs/authorization.md is rendered from this file (matrix-doc.ts).

import type { CallerKind, PersonalFieldRule } from '@hub/service-kit';

/**
 * Every field of the GraphQL Worker type. A worker is matching's copy of a member, so each
 * fact has the group members gives the same fact on Member (display name and kind public,
 * municipality, skills and registration date profile, hours personal). Profile fields follow the
 * member's profile visibility, which matching copies from members' events (worker
 * .profile_visibility); until an event carrying it arrives they count as STAFF — the strictest,
 * what `personal` gets.
 */
export const WORKER_FIELDS = {
  id: { group: 'public', about: 'ID — 会員 ID と同じ (the member id, as the cache id)' },
  memberId: { group: 'public', about: '会員 ID (member id)' },
  member: {
    group: 'public',
    about:
      '会員 — 項目ごとに members サービスが判断 (the member; members decides each of its fields)',
  },
  displayName: { group: 'public', about: '表示名 (display name)' },
  kind: { group: 'public', about: '種別 (kind)' },
  municipalityCode: { group: 'profile', about: '現在の市区町村 (current municipality)' },
  skills: { group: 'profile', about: 'スキルとレベル (skills with level)' },
  registeredAt: { group: 'profile', about: '会員登録日時 (registered at)' },
  availableHoursPerWeek: { group: 'personal', about: '週あたり稼働可能時間 (hours per week)' },
  updatedAt: {
    group: 'personal',
    about:
      'マッチングでの更新日時 — 本人が情報を変えた時期 (last updated in matching: when the member last changed these facts)',
  },
} as const satisfies Record<string, PersonalFieldRule>;
export type WorkerFieldName = keyof typeof WORKER_FIELDS;

/** The name a Worker field has in the member's audit log. */
export const workerAuditName = (field: WorkerFieldName) => `Worker.${field}`;

/**
 * Filters of `workers`, each with the field it reveals: a filter matches only workers whose
 * field the caller may read, and a partner's filter is audited like reading the field.
 */
export const WORKER_FILTERS = {
  skill: 'skills',
  municipalityCode: 'municipalityCode',
} as const satisfies Record<string, WorkerFieldName>;
export type WorkerFilterName = keyof typeof WORKER_FILTERS;

/** The callers the matrix test walks, relative to one worker (the subject). */
export const WORKER_VIEWERS = {
  anonymous: '未サインイン (anonymous)',
  self: '本人 (the member)',
  otherMember: '他のメンバー (another member)',
  staffOfWorkersOrganization:
    '登録先組織のスタッフ・コーディネーター (staff/coordinator of an organisation the member is registered with)',
  staffOfFormerOrganization:
    '以前の登録先組織のスタッフ (staff of an organisation the member has left)',
  staffOfUnrelatedOrganization: '無関係な組織のスタッフ (staff of an unrelated organisation)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  partnerWithoutScope: 'パートナーキー・スコープなし (partner key without the scope)',
  partnerWithoutConsent:
    'パートナーキー・スコープあり・この目的への同意なし (partner key, scope; the member consented to this partner, but for another purpose)',
  partnerWithConsent:
    'パートナーキー・スコープとこの組織・目的への同意あり (partner key, scope, and the member’s consent to this partner for this purpose)',
  partnerAfterWithdrawal: 'パートナーキー・同意撤回後 (partner key after consent withdrawal)',
  partnerWithConsentToAnotherPartner:
    'パートナーキー・同意は別のパートナーに対するもの (partner key, scope; the member consented to this purpose for another partner only)',
  partnerWithConsentUnderOldNotice:
    'パートナーキー・同意は効力のない旧版の通知によるもの (partner key, scope; the member’s consent was given under a notice version that no longer counts)',
  partnerWithoutPurpose:
    'パートナーキー・利用目的の宣言なし (partner key with the scope but no purpose of use)',
} as const;
export type WorkerViewer = keyof typeof WORKER_VIEWERS;

/** Which kind of caller (the kit's CALLER_KINDS) each viewer is, to the rule. */
export const WORKER_VIEWER_KINDS = {
  anonymous: 'anonymous',
  self: 'self',
  otherMember: 'otherMember',
  staffOfWorkersOrganization: 'registeredStaff',
  staffOfFormerOrganization: 'otherMember',
  staffOfUnrelatedOrganization: 'otherMember',
  hubAdmin: 'hubAdmin',
  partnerWithoutScope: 'partnerWithoutScope',
  partnerWithoutConsent: 'partnerWithoutConsent',
  partnerWithConsent: 'partnerWithConsent',
  partnerAfterWithdrawal: 'partnerWithoutConsent',
  partnerWithConsentToAnotherPartner: 'partnerWithoutConsent',
  partnerWithConsentUnderOldNotice: 'partnerWithoutConsent',
  partnerWithoutPurpose: 'partnerWithoutConsent',
} as const satisfies Record<WorkerViewer, CallerKind>;

/** Queries of matching about people, each with its rule (beyond the fields above). */
export const WORKER_QUERY_RULES = {
  worker:
    '誰でも — 項目ごとに上の表。存在しない会員は null (anyone; each field as in the matrix; null for a member matching does not know)',
  workers:
    'ハブ管理者、スタッフ職のメンバー、members:personal:read のパートナーキー — 一覧も絞り込みも個人情報を読める人だけに限る (hub admins, members holding a staff role, partner keys with members:personal:read; the list and its filters match only workers whose personal fields the caller may read: every worker for hub admins, the caller and the workers registered with their organisations for staff, the workers consenting to the key’s organisation and purpose for partners)',
  'DataExport.matching': '本人またはハブ管理者 (the member or a hub admin)',
  'WorkOrder.candidates':
    'ハブ管理者、受託組織 (委託された部分では委託先) のスタッフ、委託先のリーダー — 候補者は呼び出し元が個人情報を読めるワーカーだけ: ハブ管理者はすべて、スタッフは自分の組織に現在登録しているワーカー (hub admins, staff of the receiving organisation — the partner, for a delegated part — and the leader of a delegated part; the candidates are only workers whose personal fields the caller may read: all for hub admins, for staff the workers registered with their organisations today)',
} as const;

/**
 * People finding people (issue 11): who reads help requests, suggestions and introductions.
 * A help request is the asker's wish and place, readable as the asker chose (visibleTo); an
 * introduction is personal data of the two members and the introducer, and of nobody else —
 * hub admins included. Suggestions only ever name members whose profile the asker may read
 * under the hub's rule (the `profile` group above, with the member's visibility setting).
 */
export const PEOPLE_RULES = {
  'helpRequest(id)':
    '相談者、ハブ管理者、visibleTo が MEMBERS ならサインインしたメンバー — それ以外は null (the asker, hub admins, and signed-in members when visibleTo is MEMBERS; null for anyone else)',
  'HelpRequest.suggestions':
    '相談者のみ (FORBIDDEN)。相談者がプロフィール (profile 区分) を読めるメンバーだけが現れ、理由に出るスキルと市区町村もその範囲。同じホーム拠点は相談者がその会員資格を読めるとき (拠点の運営組織のスタッフ・ハブ管理者) だけ、紹介のつながりは相談者が読める紹介関係だけで数える (the asker only, else FORBIDDEN; only members whose profile group the asker may read appear, and the reasons name only their skills and municipality; a shared home space counts only when the asker may read that membership — staff of the space’s operator, hub admins — and the referral distance runs over the links the asker may read)',
  'Member.helpRequests': '本人またはハブ管理者 (the member or a hub admin)',
  'Member.suggestedCollaborators':
    '本人のみ、提案の範囲は HelpRequest.suggestions と同じ (the member only; the same visibility as HelpRequest.suggestions)',
  'createHelpRequest, closeHelpRequest':
    'サインインしたメンバー本人として。他人の相談を閉じようとすると NOT_FOUND (a signed-in member, as themself; closing someone else’s request is NOT_FOUND)',
  'introduction(id), Introduction':
    '紹介された二人と紹介者のみ — ハブ管理者を含むそれ以外は null (the two members and the introducer only; null for anyone else, hub admins included)',
  'Member.introductions': '本人のみ (the member only)',
  introduceMembers:
    'ハブ管理者、二人が今日ともにホームにしている拠点の運営組織のスタッフ、または二人とも現在登録している組織のスタッフ・コーディネーター・管理者 — それ以外は FORBIDDEN (hub admins; staff of the operator of a space both members call home today; or staff, coordinators or admins of an organisation both members are registered with today; anyone else FORBIDDEN)',
  'acceptIntroduction, declineIntroduction':
    '紹介された本人が一度だけ。二度目は ALREADY_ANSWERED、他の人は NOT_FOUND (one of the two members, once; a second answer ALREADY_ANSWERED, anyone else NOT_FOUND)',
} as const;

/**
 * Every field of the GraphQL Assignment type (issue 11). An assignment says which work a member
 * was offered, took and delivered, and how they were rated: personal data of the member. Only
 * the id is public; even who was offered which order is personal.
 */
export const ASSIGNMENT_FIELDS = {
  id: { group: 'public', about: 'ID (UUID)' },
  memberId: { group: 'personal', about: '会員 ID (member id)' },
  member: { group: 'personal', about: '会員 (the member)' },
  workOrder: { group: 'personal', about: '発注 (the order)' },
  role: { group: 'personal', about: '役割 (role)' },
  status: { group: 'personal', about: '状態 (status)' },
  allocatedVolume: { group: 'personal', about: '割り当て量 (allocated volume)' },
  deliveredVolume: { group: 'personal', about: '納品量 (delivered volume)' },
  rating: { group: 'personal', about: '評価 1〜5 (rating)' },
  offeredAt: { group: 'personal', about: '打診日時 (offered at)' },
  answeredAt: { group: 'personal', about: '回答日時 (answered at)' },
  startedAt: { group: 'personal', about: '開始日時 (started at)' },
  completedAt: { group: 'personal', about: '完了日時 (completed at)' },
} as const satisfies Record<string, PersonalFieldRule>;
export type AssignmentFieldName = keyof typeof ASSIGNMENT_FIELDS;

/**
 * The callers the assignment matrix test walks, relative to one assignment. "Registered staff"
 * of an assignment are the staff of its order's receiving organisation only (the kit's
 * organizationsOf): the worker was registered with it to be offered the work. The leader the
 * delegation named distributes the order in the partner's name and reads as its staff do — while
 * registered with the partner: once that registration ends they read as any other member, as
 * staff who left do (leader-access.ts).
 */
export const ASSIGNMENT_VIEWERS = {
  self: '本人 (the member)',
  receivingCentreStaff:
    '発注を受託した組織のスタッフ・コーディネーター (staff/coordinator of the organisation receiving the order)',
  delegatingLeader: '発注のリーダー (the leader the delegation named for the order)',
  formerLeader:
    '元リーダー — 再委託先への登録が終了した (the order’s leader after their registration with the partner ended)',
  hubAdmin: 'ハブ管理者 (hub admin)',
  clientStaff: '発注元のスタッフ — 進捗の数のみ (staff of the client: progress counts only)',
  parentCentreStaff:
    '再委託元の受託組織のスタッフ — 数のみ (staff of the centre that delegated the order: counts only)',
  otherMember: '他のメンバー (another member)',
  anonymous: '未サインイン (anonymous)',
  partnerKey:
    'パートナーキー・スコープと目的あり — 割り当てを開く同意はない (partner key with scope and purpose: no consent opens assignments)',
} as const;
export type AssignmentViewer = keyof typeof ASSIGNMENT_VIEWERS;

export const ASSIGNMENT_VIEWER_KINDS = {
  self: 'self',
  receivingCentreStaff: 'registeredStaff',
  delegatingLeader: 'registeredStaff',
  formerLeader: 'otherMember',
  hubAdmin: 'hubAdmin',
  clientStaff: 'otherMember',
  parentCentreStaff: 'otherMember',
  otherMember: 'otherMember',
  anonymous: 'anonymous',
  partnerKey: 'partnerWithoutConsent',
} as const satisfies Record<AssignmentViewer, CallerKind>;

/** Lists and operations of assignments, each with who may use them. */
export const ASSIGNMENT_QUERY_RULES = {
  assignment:
    '誰でも — 項目ごとに上の表。存在しない ID は null (anyone; each field as in the matrix; null for an unknown id)',
  'Member.assignments':
    '本人 (すべて)・コーディネーター (自組織が受託した発注の分)・リーダー (自分が配分する発注の分)・ハブ管理者 (すべて)。他のメンバーは空の一覧、未サインインは UNAUTHENTICATED、パートナーキーは FORBIDDEN (the member: all; staff: those on orders their organisation receives; leaders: those on orders they lead; hub admins: all. Other members get an empty list, anonymous callers UNAUTHENTICATED, partner keys FORBIDDEN)',
  'WorkOrder.assignments':
    '受託組織のスタッフ・リーダー・ハブ管理者 (すべて)、他のメンバー (自分の分のみ)。未サインインは UNAUTHENTICATED、パートナーキーは FORBIDDEN。発注元と再委託元は WorkOrder.progress / treeProgress / openRoles の数のみ (staff of the receiving organisation, the leader and hub admins: all; any other member: their own; anonymous UNAUTHENTICATED, partner keys FORBIDDEN; the client and delegating centres read counts only: progress, treeProgress, openRoles)',
  'offerAssignment, completeAssignment':
    '受託組織のスタッフ・リーダー (再委託先に登録している間)・ハブ管理者 (staff of the receiving organisation, the leader while registered with the partner, hub admins)',
  'acceptAssignment, declineAssignment': '本人のみ (the member only)',
  startAssignment: '本人・受託組織のスタッフ・リーダー・ハブ管理者 (the member, the distributors)',
} as const;
