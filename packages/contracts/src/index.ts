export {
  checkEventData,
  type EventData,
  type EventDataCheck,
  type EventDataIssue,
  type EventType,
  eventCatalog,
  isEventType,
} from './catalog.js';
export type { EventDefinition, ServiceEvents } from './events/definition.js';
export { EVENTS_EVENTS, ZEventCancelled, ZEventPublished } from './events/events.js';
export {
  MATCHING_EVENTS,
  WORK_ORDER_EVENT_STATUSES,
  ZHelpRequestOpened,
  ZIntroductionMade,
  ZPartnerReadRecorded,
  ZWorkOrderPosted,
} from './events/matching.js';
export {
  MEMBERS_EVENTS,
  ZAffiliationChanged,
  ZConsentGranted,
  ZConsentWithdrawn,
  ZMemberErased,
  ZMemberProfileUpdated,
  ZMemberRegistered,
  ZOrganizationCreated,
  ZReferralChanged,
} from './events/members.js';
export {
  SPACE_CHANGES,
  SPACES_EVENTS,
  ZPassRedeemed,
  ZPassRedemptionCancelled,
  ZPatrolVisitRecorded,
  ZPatrolVisitSummaryPublished,
  ZPresenceCheckedIn,
  ZPresenceCheckedOut,
  ZSatelliteLeaseEnded,
  ZSatelliteLeaseGranted,
  ZSpaceChange,
  ZSpaceMembershipEnded,
  ZSpaceMembershipStarted,
  ZSpaceNetworkChanged,
  ZSpaceOpened,
  ZSpaceRegistered,
  ZSpaceUpdated,
} from './events/spaces.js';
export { SUPPORT_PROGRAMS_EVENTS, ZProgramPublished } from './events/support-programs.js';
export { PUBLIC_FACILITIES_SUBGRAPH_PATH } from './open-data.js';
export {
  AFFILIATION_ROLES,
  type TAffiliationRole,
  ZAffiliationRole,
} from './vocabulary/affiliation-roles.js';
export {
  CONSENT_PURPOSES,
  type TConsentPurpose,
  ZConsentPurpose,
} from './vocabulary/consent-purposes.js';
export { MEMBER_KINDS, type TMemberKind, ZMemberKind } from './vocabulary/member-kinds.js';
export { type TMunicipalityCode, ZMunicipalityCode } from './vocabulary/municipality-code.js';
export {
  PATROL_NEEDS,
  PATROL_REQUEST_KINDS,
  type TPatrolNeed,
  type TPatrolRequestKind,
  ZPatrolNeed,
  ZPatrolRequestKind,
} from './vocabulary/patrol-visits.js';
export {
  PROFILE_VISIBILITIES,
  type TProfileVisibility,
  ZProfileVisibility,
} from './vocabulary/profile-visibilities.js';
export {
  SPACE_KINDS,
  SPACE_STATUSES,
  type TSpaceKind,
  type TSpaceStatus,
  ZSpaceKind,
  ZSpaceStatus,
} from './vocabulary/space-kinds.js';
export {
  planRank,
  SPACE_MEMBERSHIP_PLANS,
  type TSpaceMembershipPlan,
  ZSpaceMembershipPlan,
} from './vocabulary/space-membership-plans.js';
export {
  SPACE_NETWORK_KINDS,
  type TSpaceNetworkKind,
  ZSpaceNetworkKind,
} from './vocabulary/space-network-kinds.js';
export {
  activeOn,
  dateColumn,
  dayBefore,
  isoDate,
  startOfTokyoDay,
  TOKYO_UTC_OFFSET_MS,
  type TTokyoDate,
  todayInJapan,
  ZTokyoDate,
} from './vocabulary/tokyo-dates.js';
export { defineVocabulary, type EnumKey, type Vocabulary } from './vocabulary/vocabulary.js';
