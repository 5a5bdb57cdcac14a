/**
 * What the members service's tests share — import it from here:
 * - the service: `useMembers()` (started for a test file, on a fresh database) or
 *   `startMembers()`;
 * - data set up through the domain: `newMember`, `newOrganization`, `newAccount`, `newPartner`
 *   (an organisation a hub admin made a partner), `consentTo` (a consent to a partner);
 * - identity over GraphQL: `trySignUp`/`trySignIn` (the response) and `signedUp`/`signedIn`
 *   (must succeed), with `PASSWORD` and `newEmail`;
 * - reading results: `codeOf`, `errorCodeAt`, `outboxOf`, `countStatements`.
 */
export {
  consentTo,
  FULL_CEILING,
  newAccount,
  newMember,
  newOrganization,
  newPartner,
} from './fixtures.js';
export { type MembersHarness, startMembers, useMembers } from './harness.js';
export {
  AUTH_PAYLOAD,
  AUTH_RESULT,
  type AuthPayload,
  type AuthResult,
  newEmail,
  PASSWORD,
  signedIn,
  signedUp,
  TYPED_ERROR,
  trySignIn,
  trySignUp,
  typedCodeOf,
} from './identity.js';
export { codeOf, countStatements, errorCodeAt, type OutboxRow, outboxOf } from './results.js';
