import type { SchemaTypes } from '@pothos/core';
import {
  AppError,
  DOMAIN_ERROR_CODES,
  type DomainErrorCode,
  ERROR_CODES,
  familyOf,
  splitMessage,
  type TypedErrorFamily,
} from './errors.js';

type TypedErrorInit = {
  code: DomainErrorCode;
  /** Japanese. */
  message: string;
  messageEn: string;
  /** The input path (`input.email`, `input.venues.1.spaceId`), or null for the whole request. */
  field: string | null;
};

/**
 * A domain failure as a mutation's payload carries it (a member of `XPayload`), rather than an
 * entry in `errors[]`. Built from an AppError by `typedErrorOf`; domain code keeps throwing
 * AppError and never constructs these.
 */
export abstract class TypedError extends Error {
  readonly code: DomainErrorCode;
  readonly messageEn: string;
  readonly field: string | null;

  constructor(init: TypedErrorInit) {
    super(init.message);
    this.code = init.code;
    this.messageEn = init.messageEn;
    this.field = init.field;
  }
}

/** The input breaks a rule: malformed, out of range, a weak password, a bad check digit. */
export class InvalidInputError extends TypedError {
  override readonly name = 'InvalidInputError';
}

/** Something the input names does not exist (or no longer does). */
export class NotFoundError extends TypedError {
  override readonly name = 'NotFoundError';
}

/** The request contradicts the current state: already taken, already decided. */
export class ConflictError extends TypedError {
  override readonly name = 'ConflictError';
}

/** A credential the mutation exists to check (password, refresh token, invitation) was refused. */
export class CredentialError extends TypedError {
  override readonly name = 'CredentialError';
}

export type TypedErrorClass = new (init: TypedErrorInit) => TypedError;

/** The class of each family, as mutations declare them (`errors: [NotFoundError, …]`). */
export const TYPED_ERROR_CLASSES: Record<TypedErrorFamily, TypedErrorClass> = {
  InvalidInputError,
  NotFoundError,
  ConflictError,
  CredentialError,
};

const FAMILY_DESCRIPTIONS: Record<TypedErrorFamily, string> = {
  InvalidInputError:
    '入力が規則に合わない — 形式・範囲・チェックディジットなど。field が項目を示す (the input breaks a rule; field names the input path)',
  NotFoundError:
    '入力で指定したものが存在しない、または削除済み (something the input names does not exist, or no longer does)',
  ConflictError:
    '現在の状態と矛盾する — 登録済み・決定済みなど (the request contradicts the current state, e.g. already taken or decided)',
  CredentialError:
    'この操作が確認する資格情報 (パスワード・リフレッシュトークン・招待コード) が受け付けられない (a credential this mutation checks was refused)',
};

/**
 * The typed error an AppError becomes on a mutation that declares its family, or null (it then
 * stays in `errors[]`): authentication, authorization, limits and availability have no family.
 * Domain code names fields relative to the input (`email`, `venues.1.spaceId`); clients get the
 * whole path from the argument (`input.email`), as the kit's input checks report it.
 */
export function typedErrorOf(
  error: unknown,
  declared: readonly TypedErrorClass[],
  argument = 'input',
): TypedError | null {
  if (!(error instanceof AppError)) return null;
  const family = familyOf(error.code);
  if (!family) return null;
  const Family = TYPED_ERROR_CLASSES[family];
  if (!declared.includes(Family)) return null;
  const { ja, en } = splitMessage(error.message);
  const relative = error.details.field;
  return new Family({
    code: error.code as DomainErrorCode,
    message: ja,
    messageEn: en,
    field: relative === undefined ? null : relative === '' ? argument : `${argument}.${relative}`,
  });
}

/**
 * `ErrorCode`, the `Error` interface and one object type per family, identical in every subgraph
 * (createSubgraphBuilder calls this): the enum is output-only, so composition merges it; the
 * object types are @shareable value types. Nothing beyond plain Federation 2 value types, so
 * Apollo Gateway and Hive Gateway plan them alike.
 */
export function defineTypedErrorTypes(builder: PothosSchemaTypes.SchemaBuilder<SchemaTypes>): void {
  const ErrorCodeEnum = builder.enumType('ErrorCode', {
    description:
      'ミューテーションが型付きエラーで返すドメインのエラーコード。認証・権限・回数制限・一時的な障害は errors[] の extensions.code で返る (domain error codes a mutation returns as typed errors; authentication, authorization, limits and outages come in errors[] as extensions.code)',
    values: Object.fromEntries(
      DOMAIN_ERROR_CODES.map((code) => [code, { description: ERROR_CODES[code].description }]),
    ),
  });
  const ErrorInterface = builder.interfaceRef<TypedError>('Error').implement({
    description:
      'ミューテーションの型付きエラー — 求められた変更は行われていない (a typed mutation error; the requested change was not made)',
    fields: (t) => ({
      code: t.field({
        type: ErrorCodeEnum,
        description: 'エラーコード (error code)',
        resolve: (error) => error.code,
      }),
      message: t.string({
        description: 'メッセージ 日本語 (message, Japanese)',
        resolve: (error) => error.message,
      }),
      messageEn: t.string({
        description: 'メッセージ 英語 (message, English)',
        resolve: (error) => error.messageEn,
      }),
      field: t.string({
        nullable: true,
        description:
          '原因の入力項目のパス、例 input.email・input.venues.1.spaceId — 特定の項目でなければ null (the input path at fault, e.g. input.email; null when no single field is)',
        resolve: (error) => error.field,
      }),
    }),
  });
  for (const family of Object.keys(TYPED_ERROR_CLASSES) as TypedErrorFamily[]) {
    builder.objectType(TYPED_ERROR_CLASSES[family], {
      name: family,
      description: FAMILY_DESCRIPTIONS[family],
      interfaces: [ErrorInterface],
      shareable: true,
    } as never);
  }
}
