export { upsertAffiliationCopy } from './affiliation-copy.js';
export {
  createSubgraphBuilder,
  type HubAuthScopes,
  hubAuthScopes,
  type SubgraphSchemaTypes,
  unauthorizedError,
} from './builder.js';
export {
  type ConnectionArgs,
  type ConnectionPage,
  type ConnectionTypeOptions,
  type CountedListOptions,
  countedList,
  defineConnection,
  type GroupedConnectionOptions,
  PAGE_SIZE_DEFAULT,
  pageOf,
  resolveGroupedConnection,
  type SqlPageCut,
  sqlPageCut,
  sqlPageOf,
} from './connection.js';
export {
  createBaseContext,
  type HubContext,
  type Identity,
  type RequestInfo,
  requestGroupLoader,
  requestLoader,
  requestToday,
} from './context.js';
export {
  connectPrisma,
  createDatabasePool,
  type DatabaseOptions,
  type DatabasePool,
  type DatabaseTimeouts,
  DEFAULT_DATABASE_TIMEOUTS,
  openServiceDatabase,
  type PoolHealth,
  type PrismaClientParts,
  type QueryStats,
  type ServiceDatabaseConnection,
} from './database.js';
export {
  DatabaseUnavailableError,
  isConnectionLevelError,
  isDatabaseUnavailable,
} from './database-errors.js';
export { DeadlineExceededError, withDeadline } from './deadline.js';
export {
  type DatabaseAccess,
  type DefinedService,
  defineService,
  type ServiceContext,
  type ServiceDefinition,
} from './define-service.js';
export { graphqlEnumValues } from './enum-values.js';
export {
  APP_ERROR_CODES,
  AppError,
  type AppErrorCode,
  createErrorFormatter,
  DOMAIN_ERROR_CODES,
  type DomainErrorCode,
  ERROR_CODES,
  familyOf,
  INTERNAL_ERROR_MESSAGE,
  SERVICE_UNAVAILABLE_MESSAGE,
  scalarLiteralErrorOf,
  serviceUnavailableError,
  splitMessage,
  stampRequestId,
  TYPED_ERROR_FAMILIES,
  type TypedErrorFamily,
} from './errors.js';
export { organizationRef, type SubgraphBuilder } from './external-refs.js';
export {
  GATEWAY_CREDENTIAL_HEADER,
  HEALTH_PATH,
  MAX_BODY_BYTES,
  READINESS_PATH,
  REQUEST_ID_HEADER,
  RequestBodyError,
  readRequestBody,
  requestIdOf,
  sendHealth,
  sendJson,
} from './http.js';
export {
  assertMunicipalityCode,
  assertUuid,
  httpUrl,
  ISO_INSTANT,
  isUuid,
  parseInput,
  zInstant,
} from './input.js';
// Also brings the plugin's field options (maxLength, isUuid, min, max) into services' types.
export { DEFAULT_MAX_STRING_LENGTH, PAGE_SIZE_MAX } from './input-plugin.js';
export { type ServiceJob, startJobs } from './jobs.js';
export { createLogger, type Logger } from './logger.js';
export {
  databaseOptionsOf,
  databaseTimeoutsOf,
  runServiceMain,
  type ServiceStartOptions,
} from './main.js';
export {
  contributeToDataExport,
  type DataExportFieldOptions,
  type MemberErasureOptions,
  memberErasureConsumer,
} from './member-data.js';
export { defineMutation, type MutationDefinition } from './mutation.js';
export {
  callerSpeaksFor,
  callerSpokenFor,
  HUB_SPEAKS_FOR_ALL,
  type SpeaksFor,
  type SpokenFor,
  speaksForOf,
} from './organization-links.js';
export {
  assertPeriod,
  assertPeriodDates,
  type OpenPeriod,
  PERIOD_EARLIEST,
  PERIOD_LATEST,
  PERIOD_MAX_DAYS,
} from './period.js';
export {
  type AccessFacts,
  type AccessQuestion,
  callerKindOf,
  decideAccess,
  type PartnerStanding,
} from './personal-data/decide.js';
export {
  accessRefusal,
  type ConsentRecipient,
  consentingNoticeVersions,
  PARTNER_REFUSAL_MESSAGES,
  type PersonalDataFacts,
  type PersonalDataGuard,
  type PersonalDataGuardOptions,
  type PersonalDataSubject,
  personalDataGuard,
  type ReadableMembers,
} from './personal-data/guard.js';
export {
  ACCESS_LEGEND,
  COLUMN_TEXT,
  fieldRows,
  groupAccessTable,
  markdownTable,
  OUTCOME_TEXT,
  personalFieldsTable,
  withGeneratedPart,
} from './personal-data/matrix-doc.js';
export {
  type PartnerRead,
  type PartnerReadAudit,
  type PartnerReadWriter,
  partnerReadAudit,
} from './personal-data/partner-reads.js';
export {
  ACCESS_BY_CALLER,
  ACCESS_COLUMNS,
  type AccessColumn,
  type AccessOutcome,
  accessColumn,
  accessOf,
  CALLER_KINDS,
  type CallerKind,
  FIELD_GROUPS,
  type FieldGroup,
  fieldsOfGroup,
  type PartnerRefusalCode,
  PERSONAL_DATA_SCOPE,
  type PersonalFieldRule,
  type PersonalFieldTable,
  PROFILE_VISIBILITY_VALUES,
  type ProfileVisibilityValue,
} from './personal-data/rules.js';
export {
  installQueryPlanCache,
  type QueryPlanCacheStats,
  queryPlanCacheStats,
} from './query-plan-cache.js';
export {
  DateScalar,
  DateTimeScalar,
  JsonScalar,
  SCALAR_SPECIFICATIONS,
  scalarInputError,
} from './scalars.js';
export { writeSubgraphSchema } from './schema-file.js';
export {
  DEFAULT_READINESS_TIMEOUT_MS,
  type HttpRoute,
  type HttpRouteResult,
  type ReadinessCheck,
  type RunningServer,
  startSubgraphServer,
} from './server.js';
export {
  DEFAULT_STOP_TIMEOUT_MS,
  type RunningService,
  type StartServiceOptions,
  startService,
} from './service.js';
export { stopOnSignals } from './shutdown.js';
export {
  ConflictError,
  CredentialError,
  InvalidInputError,
  NotFoundError,
  TYPED_ERROR_CLASSES,
  TypedError,
  type TypedErrorClass,
  typedErrorOf,
} from './typed-errors.js';
