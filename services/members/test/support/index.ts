/**
 * What the members service's tests share — import it from here:
 * - the service: `useMembers()` (started for a test file, on a fresh database) or
 *   `startMembers()`;
 * - data set up through the domain: `newMember`, `newOrganization`, `newAccount`, `consentTo`;
 * - identity over GraphQL: `trySignUp`/`trySignIn` (the response) and `signedUp`/`signedIn`
 *   (must succeed), with `PASSWORD` and `newEmail`;
 * - reading results: `codeOf`, `errorCodeAt`, `outboxOf`, `countStatements`.
 */
export { consentTo, newAccount, newMember, newOrganization } from './fixtures.js';
export { type MembersHarness, startMembers, useMembers } from './harness.js';
export {
  AUTH_PAYLOAD,
  type AuthPayload,
  newEmail,
  PASSWORD,
  signedIn,
  signedUp,
  trySignIn,
  trySignUp,
} from './identity.js';
export { codeOf, countStatements, errorCodeAt, type OutboxRow, outboxOf } from './results.js';
