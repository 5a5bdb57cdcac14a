import { isMember } from '@hub/identity';
import { isDatabaseUnavailable } from '@hub/service-kit';
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

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
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

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayloadRef,
    description: '会員登録してサインインする (sign up and sign in)',
    args: {
      input: t.arg({ type: SignUpInput, required: true, description: '登録内容 (the account)' }),
    },
    resolve: async (_root, { input }, context) => {
      const payload = await signUp(context.prisma, input, {
        clientAddress: context.clientAddress,
      });
      context.relay?.kick();
      return payload;
    },
  }),
  signIn: t.field({
    type: AuthPayloadRef,
    description:
      'メールアドレスとパスワードでサインイン — 失敗が続くと遅延・ロック (sign in; repeated failures slow down, then lock)',
    args: {
      email: t.arg.string({
        required: true,
        maxLength: MAX_EMAIL_LENGTH,
        description: 'メールアドレス (email)',
      }),
      password: t.arg.string({
        required: true,
        maxLength: PASSWORD_POLICY.maxLength,
        description: 'パスワード (password)',
      }),
    },
    // Input the kit refuses is a failed attempt too: otherwise it would escape the address lock.
    onInputRefused: (context) => recordRefusedSignIn(context.prisma, context.clientAddress),
    resolve: (_root, { email, password }, context) =>
      signIn(context.prisma, { email, password, clientAddress: context.clientAddress }),
  }),
  refreshSession: t.field({
    type: AuthPayloadRef,
    description:
      'リフレッシュトークンを新しい組と交換 — 使用済みを再提示するとセッション失効 (rotate tokens; reusing a used token revokes the session)',
    args: {
      refreshToken: t.arg.string({
        required: true,
        description: 'リフレッシュトークン (refresh token)',
      }),
    },
    resolve: (_root, { refreshToken }, context) => refreshSession(context.prisma, refreshToken),
  }),
  signOut: t.boolean({
    description:
      'このセッションを終了 — 終了したら true (end the session of this refresh token; true if it was active)',
    args: {
      refreshToken: t.arg.string({
        required: true,
        description: 'リフレッシュトークン (refresh token)',
      }),
    },
    resolve: (_root, { refreshToken }, context) => signOut(context.prisma, refreshToken),
  }),
  signOutEverywhere: t.int({
    description:
      'すべての端末からサインアウト — 終了したセッション数 (end all my sessions; returns how many)',
    authScopes: { member: true },
    resolve: (_root, _args, context) => signOutEverywhere(context.prisma, callerMemberId(context)),
  }),
  rotateSigningKeys: t.string({
    description:
      'アクセストークンの署名鍵を更新 — 新しい kid (rotate the access-token signing key; returns the new kid)',
    authScopes: { admin: true },
    resolve: async (_root, _args, context) => (await rotateCachedSigningKey(context.prisma)).kid,
  }),
}));
