import { describe, expect, it } from '@jest/globals';
import { type CpuProfile, moduleOf, summarizeProfile } from './cpuprofile.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

// root → handle (service kit) → compile (Prisma); idle and GC beside them.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
    {
      id: 2,
      callFrame: frame('handle', 'file:///repo/packages/service-kit/dist/server.js', 45),
      children: [3],
    },
    {
      id: 3,
      callFrame: frame(
        'compile',
        'file:///repo/node_modules/.pnpm/@prisma+client@6.19.3/node_modules/@prisma/client/runtime/client.js',
        70,
      ),
    },
    { id: 4, callFrame: frame('(idle)') },
    { id: 5, callFrame: frame('(garbage collector)') },
  ],
  startTime: 1_000,
  endTime: 1_000 + 7_000,
  // Each sample stands for the time until the next: 1 ms apart.
  samples: [2, 3, 3, 4, 5, 3, 2],
  timeDeltas: [0, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
};

describe('summarizeProfile', () => {
  it('sums self time per function and module, idle apart', () => {
    const summary = summarizeProfile(profile);
    expect(summary.idleMs).toBe(1);
    expect(summary.busyMs).toBe(5);
    expect(summary.modules.map((row) => [row.name, row.ms])).toEqual([
      ['@prisma/client', 3],
      ['packages/service-kit', 1],
      ['(garbage collector)', 1],
    ]);
    expect(summary.functions[0]).toEqual({
      name: 'compile @prisma/client/runtime/client.js:71',
      ms: 3,
      share: 0.6,
    });
  });

  it('counts only samples inside the window', () => {
    // Samples at 1_000 … 7_000 µs: the window holds those at 4_000 … 6_000.
    const summary = summarizeProfile(profile, { fromUs: 4_000, toUs: 6_000 });
    expect(summary.idleMs).toBe(1);
    expect(summary.modules.map((row) => [row.name, row.ms])).toEqual([
      ['(garbage collector)', 1],
      ['@prisma/client', 1],
    ]);
  });
});

describe('moduleOf', () => {
  it('names npm packages, workspace packages and Node itself', () => {
    expect(moduleOf(frame('x', 'file:///r/node_modules/.pnpm/pg@8/node_modules/pg/lib/a.js'))).toBe(
      'pg',
    );
    expect(moduleOf(frame('x', 'file:///r/services/spaces/dist/app.js'))).toBe('services/spaces');
    expect(moduleOf(frame('x', 'node:internal/streams/writable'))).toBe('node:internal');
    expect(moduleOf(frame('writev'))).toBe('(native)');
  });
});
