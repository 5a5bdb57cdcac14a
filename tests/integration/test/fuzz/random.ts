import fc from 'fast-check';

/**
 * The draws one generated request makes. Every value comes from fast-check's seeded stream, so
 * request `index` of a run with `seed` is the same request whenever it is generated again: a
 * failure is replayed with `FUZZ_SEED=<seed> FUZZ_ONLY=<index>` without sending the others.
 */
export type Rng = {
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the choices, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [weight: number, value: T])[]): T;
  /** A value of a fast-check arbitrary (biased towards its edge cases, as fast-check does). */
  draw<T>(arbitrary: fc.Arbitrary<T>): T;
};

/** The seed of request `index`: each request has its own stream, independent of the others. */
export function requestSeed(seed: number, index: number): number {
  // A multiplicative hash spreads consecutive indices over the 32-bit seed space.
  return (seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0;
}

export function rngFor(seed: number, index: number): Rng {
  const [generate] = fc.sample(fc.gen(), { seed: requestSeed(seed, index), numRuns: 1 });
  if (!generate) throw new Error('fast-check produced no generator');
  // Choices must be uniform: fast-check's biased integers would favour the first and last
  // root fields, enum values and so on.
  const uniform = (min: number, max: number) => generate(() => fc.noBias(fc.integer({ min, max })));
  const rng: Rng = {
    int: uniform,
    chance: (probability) => uniform(0, 999_999) < probability * 1_000_000,
    pick(items) {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[uniform(0, items.length - 1)]!;
    },
    weighted(choices) {
      const total = choices.reduce((sum, [weight]) => sum + weight, 0);
      let ticket = uniform(0, Math.max(0, Math.ceil(total * 1000) - 1)) / 1000;
      for (const [weight, value] of choices) {
        if (ticket < weight) return value;
        ticket -= weight;
      }
      return choices.at(-1)![1];
    },
    draw: (arbitrary) => generate(() => arbitrary),
  };
  return rng;
}

/** A random 32-bit seed for a run that was not given one. */
export function freshSeed(): number {
  return (Math.random() * 2 ** 32) | 0;
}
