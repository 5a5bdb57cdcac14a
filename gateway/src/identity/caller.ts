import type { IncomingHttpHeaders } from 'node:http';
import type { MemberIdentity, PartnerIdentity } from '@hub/identity';
import type { Dispatcher } from 'undici';
import { type ApiKeyVerifier, createApiKeyVerifier } from './api-key.js';
import {
  type BearerTokenVerifier,
  createBearerTokenVerifier,
  createMembersJwks,
} from './bearer-token.js';
import { type Credential, readCredential } from './credentials.js';

/** Who is calling, once verified; partners bring their key's own rate limit. */
export type Caller =
  | { kind: 'anonymous'; identity: null }
  | { kind: 'member'; identity: MemberIdentity }
  | { kind: 'partner'; identity: PartnerIdentity; rateLimitPerMinute: number };

/** How the gateway checks credentials with members. */
export type IdentityOptions = {
  /** Deadline of one call to members (JWKS fetch, key lookup). */
  timeoutMs: number;
  /** Reuse of members' verdict on an API key; a revocation reaches the gateway within it. */
  apiKeyCacheTtlMs: number;
  /** Routine refresh of members' public keys. */
  jwksMaxAgeMs: number;
  /** Least time between two JWKS fetches caused by an unknown key id. */
  jwksCooldownMs: number;
  /** Most access tokens and most API keys remembered, each. */
  cacheMaxEntries: number;
};

export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = {
  timeoutMs: 2_000,
  apiKeyCacheTtlMs: 10_000,
  jwksMaxAgeMs: 5 * 60_000,
  jwksCooldownMs: 1_000,
  cacheMaxEntries: 10_000,
};

export type CallerResolverOptions = Partial<IdentityOptions> & {
  /** Any URL on the members server (the members subgraph URL). */
  membersUrl: string;
  /** The gateway's pooled HTTP client (undici Agent). */
  dispatcher: Dispatcher;
  gatewaySecret: string;
};

export type CallerResolver = {
  /**
   * The caller of a request, from its headers. Throws CallerError: 401 for any credential that
   * does not verify, 503 when members must be asked and cannot be. Never falls back to
   * anonymous when a credential was presented.
   */
  resolveCaller(headers: IncomingHttpHeaders, requestId?: string): Promise<Caller>;
  resolveCredential(credential: Credential | null, requestId?: string): Promise<Caller>;
  /** Whether the credential's verdict is in memory (resolving it costs no verification). */
  isCached(credential: Credential): boolean;
};

export function createCallerResolver(options: CallerResolverOptions): CallerResolver {
  const settings = { ...DEFAULT_IDENTITY_OPTIONS, ...withoutUndefined(options) };
  const tokens: BearerTokenVerifier = createBearerTokenVerifier({
    keys: createMembersJwks({
      membersUrl: options.membersUrl,
      dispatcher: options.dispatcher,
      timeoutMs: settings.timeoutMs,
      maxAgeMs: settings.jwksMaxAgeMs,
      cooldownMs: settings.jwksCooldownMs,
    }),
    cacheMaxEntries: settings.cacheMaxEntries,
  });
  const apiKeys: ApiKeyVerifier = createApiKeyVerifier({
    membersUrl: options.membersUrl,
    dispatcher: options.dispatcher,
    gatewaySecret: options.gatewaySecret,
    timeoutMs: settings.timeoutMs,
    cacheTtlMs: settings.apiKeyCacheTtlMs,
    cacheMaxEntries: settings.cacheMaxEntries,
  });

  const resolveCredential = async (
    credential: Credential | null,
    requestId?: string,
  ): Promise<Caller> => {
    if (!credential) return { kind: 'anonymous', identity: null };
    if (credential.kind === 'bearer') {
      return { kind: 'member', identity: await tokens.verify(credential.token) };
    }
    const { identity, rateLimitPerMinute } = await apiKeys.verify(credential.key, requestId);
    return { kind: 'partner', identity, rateLimitPerMinute };
  };

  return {
    resolveCredential,
    resolveCaller: (headers, requestId) => resolveCredential(readCredential(headers), requestId),
    isCached: (credential) =>
      credential.kind === 'bearer'
        ? tokens.isCached(credential.token)
        : apiKeys.isCached(credential.key),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
