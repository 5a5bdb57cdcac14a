/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) into self time per function and per
 * module, over a time window: a service's profile also holds its start-up and the warm-up, and
 * only the measured load says where a request's CPU goes.
 */

export type CpuProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};

export type CpuProfile = {
  nodes: CpuProfileNode[];
  /** Microseconds on the monotonic clock (the same one as process.hrtime). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

export type SelfTime = { name: string; ms: number; share: number };

export type ProfileSummary = {
  /** Sampled time in the window, idle excluded. */
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  modules: SelfTime[];
};

/** The window, in microseconds on the monotonic clock; the whole profile when omitted. */
export type ProfileWindow = { fromUs: number; toUs: number };

// V8's pseudo-frames: time not spent in JavaScript, kept apart under their own names.
const PSEUDO_FRAMES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/**
 * What a frame's code belongs to: the npm package (scoped or not, the last `node_modules` in the
 * path wins, so pnpm's `.pnpm/x@1/node_modules/x` reads as `x`), a workspace package or service
 * (`packages/service-kit`, `services/spaces`), Node itself (`node:internal`), or a pseudo-frame.
 */
export function moduleOf(frame: CpuProfileNode['callFrame']): string {
  if (PSEUDO_FRAMES.has(frame.functionName) && frame.url === '') return frame.functionName;
  const { url } = frame;
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const workspace = /\/(packages|services|gateway|launcher)\/([^/]+)\//.exec(url);
  if (workspace) return workspace[1] === 'gateway' ? 'gateway' : `${workspace[1]}/${workspace[2]}`;
  return url;
}

function functionLabel(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === '') return functionName || '(anonymous)';
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Self time per function and module inside `window`, largest first. */
export function summarizeProfile(profile: CpuProfile, window?: ProfileWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const label = functionLabel(node);
    functions.set(label, (functions.get(label) ?? 0) + us);
    const module = moduleOf(node.callFrame);
    modules.set(module, (modules.get(module) ?? 0) + us);
  }
  const ranked = (totals: Map<string, number>): SelfTime[] =>
    [...totals]
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: ranked(functions),
    modules: ranked(modules),
  };
}

/** The top `limit` rows of a ranking as aligned text lines. */
export function formatSelfTimes(rows: SelfTime[], limit: number): string[] {
  return rows
    .slice(0, limit)
    .map(
      (row) =>
        `${(row.share * 100).toFixed(1).padStart(5)} % ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`,
    );
}
