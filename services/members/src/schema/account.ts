import { isMember } from '@hub/identity';
import {
  ConflictError,
  CredentialError,
  defineMutation,
  InvalidInputError,
  isDatabaseUnavailable,
  NotFoundError,
} from '@hub/service-kit';
import { builder } from '../builder.js';
import type { AuthPayload } from '../identity/auth-payload.js';
import { callerMemberId } from '../identity/caller.js';
import { MAX_EMAIL_LENGTH } from '../identity/email.js';
import { PASSWORD_POLICY } from '../identity/password-policy.js';
import {
  activeSessions,
  refreshSession,
  signOut,
  signOutEverywhere,
} from '../identity/sessions.js';
import { signIn } from '../identity/sign-in.js';
import { signUp } from '../identity/sign-up.js';
import { rotateCachedSigningKey } from '../identity/signing-key-cache.js';
import { recordRefusedSignIn } from '../identity/throttle.js';
import { MemberKindEnum } from './member-kind.js';

// What signUp, signIn and refreshSession answer with: a session's tokens and its member.
const AuthSessionRef = builder.objectRef<AuthPayload>('AuthSession').implement({
  description:
    'サインインの結果 — アクセストークンとリフレッシュトークン (tokens of a signed-in session)',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', {
      description:
        'アクセストークン (EdDSA JWT) — Authorization: Bearer で送る (access token; send as a bearer token)',
    }),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', {
      type: 'DateTime',
      description: 'アクセストークンの有効期限 (access token expiry)',
    }),
    refreshToken: t.exposeString('refreshToken', {
      description:
        'リフレッシュトークン — 1回限り、refreshSession で新しい組と交換 (single-use refresh token)',
    }),
    refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', {
      type: 'DateTime',
      description: 'リフレッシュトークンの有効期限 (refresh token expiry)',
    }),
    member: t.prismaField({
      type: 'Member',
      description: 'サインインしたメンバー (the signed-in member)',
      // Read with the client's selection like any Member; if the database cannot answer now,
      // the row the session's transaction wrote or read stands in: the session committed, so
      // the answer (its tokens) must not turn into an error (issue 7, auth-payload.ts).
      resolve: async (query, payload, _args, context) => {
        try {
          return await context.prisma.member.findUniqueOrThrow({
            ...query,
            where: { id: payload.memberId },
          });
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          return payload.member;
        }
      },
    }),
  }),
});

type SessionView = { id: string; createdAt: Date; lastUsedAt: Date; isCurrent: boolean };

const MemberSessionRef = builder.objectRef<SessionView>('MemberSession').implement({
  description: 'サインイン中の端末 (a signed-in device)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'セッション ID (session id)' }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'サインインした日時 (signed in at)',
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      description: '最後にトークンを更新した日時 (last refreshed at)',
    }),
    isCurrent: t.exposeBoolean('isCurrent', {
      description: 'この呼び出しのセッション (the session of this request)',
    }),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  description: '会員登録の内容 (a new account)',
  fields: (t) => ({
    email: t.string({
      required: true,
      maxLength: MAX_EMAIL_LENGTH,
      description: 'メールアドレス (email)',
    }),
    password: t.string({
      required: true,
      maxLength: PASSWORD_POLICY.maxLength,
      description: 'パスワード — 10〜128文字 (password, 10–128 characters)',
    }),
    displayName: t.string({ required: true, maxLength: 100, description: '表示名 (display name)' }),
    displayNameKana: t.string({
      required: false,
      maxLength: 100,
      description: '表示名かな (kana)',
    }),
    kind: t.field({ type: MemberKindEnum, required: true, description: '種別 (kind)' }),
    municipalityCode: t.string({
      required: false,
      description: '市区町村コード (municipality code)',
    }),
    invitationCode: t.string({
      required: false,
      maxLength: 40,
      description: '招待コード (invitation code)',
    }),
  }),
});

builder.queryFields((t) => ({
  me: t.prismaField({
    type: 'Member',
    nullable: true,
    description: 'サインイン中のメンバー — 未サインインなら null (the signed-in member, or null)',
    resolve: (query, _root, _args, context) =>
      isMember(context.identity)
        ? context.prisma.member.findFirst({
            ...query,
            where: { id: context.identity.memberId, erasedAt: null },
          })
        : null,
  }),
  mySessions: t.field({
    type: [MemberSessionRef],
    description: '自分のサインイン中のセッション (my active sessions)',
    authScopes: { member: true },
    resolve: async (_root, _args, context) => {
      const sessions = await activeSessions(context.prisma, callerMemberId(context));
      const current = isMember(context.identity) ? context.identity.sessionId : null;
      return sessions.map((session) => ({ ...session, isCurrent: session.id === current }));
    },
  }),
}));

defineMutation(builder, 'signUp', {
  description:
    '会員登録してサインインする — 招待コードは任意 (sign up and sign in; an invitation code is optional)',
  input: { type: SignUpInput, description: '登録内容 (the account)' },
  success: {
    field: 'session',
    type: AuthSessionRef,
    description: '始まったセッション (the new session)',
  },
  // Zod rules, the email, WEAK_PASSWORD, the municipality code; EMAIL_TAKEN; a refused
  // invitation code (INVALID_INVITATION, INVITATION_EXPIRED).
  errors: [InvalidInputError, ConflictError, CredentialError],
  resolve: (input, context) => signUp(context, input, { clientAddress: context.clientAddress }),
});

const SignInInput = builder.inputType('SignInInput', {
  description: 'サインインに使う資格情報 (the credentials to sign in with)',
  fields: (t) => ({
    email: t.string({
      required: true,
      maxLength: MAX_EMAIL_LENGTH,
      description: 'メールアドレス (email)',
    }),
    password: t.string({
      required: true,
      maxLength: PASSWORD_POLICY.maxLength,
      description: 'パスワード (password)',
    }),
  }),
});

defineMutation(builder, 'signIn', {
  description:
    'メールアドレスとパスワードでサインイン — 失敗が続くと遅延・ロック (ACCOUNT_LOCKED)。失敗した試行は CredentialError でも記録され、回数に数えられる (sign in; repeated failures slow down, then lock with ACCOUNT_LOCKED; a failed attempt is recorded and counted even though it returns a CredentialError — only no session is started)',
  input: { type: SignInInput, description: '資格情報 (the credentials)' },
  success: {
    field: 'session',
    type: AuthSessionRef,
    description: '始まったセッション (the new session)',
  },
  // INVALID_CREDENTIALS (the failure was recorded first: the throttle counts it), MEMBER_ERASED.
  // ACCOUNT_LOCKED is a limit and stays in errors[] with retryAfterSeconds.
  errors: [CredentialError, NotFoundError],
  // Input the kit refuses is a failed attempt too: otherwise it would escape the address lock.
  onInputRefused: (context) => recordRefusedSignIn(context.prisma, context.clientAddress),
  resolve: ({ email, password }, context) =>
    signIn(context.prisma, { email, password, clientAddress: context.clientAddress }),
});

const RefreshSessionInput = builder.inputType('RefreshSessionInput', {
  description: '交換するリフレッシュトークン (the refresh token to exchange)',
  fields: (t) => ({
    refreshToken: t.string({ required: true, description: 'リフレッシュトークン (refresh token)' }),
  }),
});

defineMutation(builder, 'refreshSession', {
  description:
    'リフレッシュトークンを新しい組と交換 — 使用済みを再提示すると REFRESH_TOKEN_REUSED、そのセッションは安全のため終了する (rotate tokens; a reused token answers REFRESH_TOKEN_REUSED and, to be safe, its session is ended — no new tokens are issued)',
  input: { type: RefreshSessionInput, description: 'リフレッシュトークン (the refresh token)' },
  success: {
    field: 'session',
    type: AuthSessionRef,
    description: '新しいトークンの組 (the session with new tokens)',
  },
  errors: [CredentialError],
  resolve: ({ refreshToken }, context) => refreshSession(context.prisma, refreshToken),
});

const EndedSessionsRef = builder.objectRef<{ count: number }>('EndedSessions').implement({
  description: 'サインアウトで終了したセッション (the sessions a sign-out ended)',
  fields: (t) => ({
    count: t.exposeInt('count', {
      description:
        '終了したセッション数 — すでに終了していたものは数えない (how many ended; ones already ended are not counted)',
    }),
  }),
});

const SignOutInput = builder.inputType('SignOutInput', {
  description: '終了するセッションのリフレッシュトークン (the refresh token of the session to end)',
  fields: (t) => ({
    refreshToken: t.string({ required: true, description: 'リフレッシュトークン (refresh token)' }),
  }),
});

defineMutation(builder, 'signOut', {
  description:
    'このセッションを終了 — 終了済みなら count 0 (end the session of this refresh token; count 0 if it had ended already)',
  input: { type: SignOutInput, description: 'リフレッシュトークン (the refresh token)' },
  success: {
    field: 'endedSessions',
    type: EndedSessionsRef,
    description: '終了したセッション (the sessions ended)',
  },
  // INVALID_REFRESH_TOKEN: a token that was never issued.
  errors: [CredentialError],
  resolve: async ({ refreshToken }, context) => ({
    count: await signOut(context.prisma, refreshToken),
  }),
});

defineMutation(builder, 'signOutEverywhere', {
  description:
    'すべての端末からサインアウト — 発行済みのアクセストークンは15分以内に失効 (end all my sessions; access tokens already issued run out within 15 minutes)',
  success: {
    field: 'endedSessions',
    type: EndedSessionsRef,
    description: '終了したセッション (the sessions ended)',
  },
  errors: [],
  authScopes: () => ({ member: true }),
  resolve: async (_input, context) => ({
    count: await signOutEverywhere(context.prisma, callerMemberId(context)),
  }),
});

const SigningKeyRef = builder.objectRef<{ kid: string }>('SigningKey').implement({
  description: 'アクセストークンの署名鍵 (an access-token signing key)',
  fields: (t) => ({
    kid: t.exposeString('kid', {
      description: '鍵 ID — トークンのヘッダーの kid (key id, the kid in token headers)',
    }),
  }),
});

defineMutation(builder, 'rotateSigningKeys', {
  description:
    'アクセストークンの署名鍵を更新 — ハブ管理者のみ (rotate the access-token signing key; hub admins)',
  success: { field: 'signingKey', type: SigningKeyRef, description: '新しい鍵 (the new key)' },
  errors: [],
  authScopes: () => ({ admin: true }),
  resolve: async (_input, context) => ({
    kid: (await rotateCachedSigningKey(context.prisma)).kid,
  }),
});
