import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). `Algorithm` is a const enum, which
// isolated modules cannot read at runtime, hence the literal (2 = Argon2id).
const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

// Hashed on first use: an unknown email is checked against it so it costs what a wrong
// password costs, and response time does not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored argon2 hash, or against a dummy hash when there is no
 * account (then always false). A malformed stored hash counts as a mismatch.
 */
export async function verifyPassword(storedHash: string | null, password: string) {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  const candidate = storedHash ?? (await dummyHash);
  const isMatch = await verify(candidate, password).catch(() => false);
  return storedHash !== null && isMatch;
}
