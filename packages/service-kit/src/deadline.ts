/** Work that did not finish in the time it was given (it may still be running). */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * `work`'s outcome, or a DeadlineExceededError after `ms`. The work itself is not cancelled:
 * callers use this where waiting longer is worse than abandoning it (readiness, shutdown).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceededError(`${what} did not finish within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
