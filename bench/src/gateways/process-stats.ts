import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and resident memory of one gateway, read from Linux's /proc: the process and every
 * descendant (a gateway CLI may fork a worker), so each gateway is measured on its own and
 * never together with the subgraphs or the load generator.
 */

// Kernel clock ticks per second for utime/stime (USER_HZ): 100 on every Linux distribution
// this runs on (`getconf CLK_TCK`).
const TICKS_PER_SECOND = 100;

export type StatFields = { ppid: number; cpuMs: number };

/**
 * The fields of `/proc/<pid>/stat` we need. The command name (field 2) is in parentheses and may
 * contain spaces or parentheses itself, so the fields are counted from the last `)`.
 */
export function parseStat(stat: string): StatFields {
  const rest = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(rest[1]);
  const ticks = Number(rest[11]) + Number(rest[12]);
  if (!Number.isFinite(ppid) || !Number.isFinite(ticks)) {
    throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  }
  return { ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

/** Resident set size in bytes from `/proc/<pid>/status` (`VmRSS:  12345 kB`); 0 if absent. */
export function parseRssBytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

function readStat(pid: number): StatFields | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // exited meanwhile
  }
}

/** `root` and every live descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

export type TreeUsage = { cpuMs: number; rssBytes: number };

/** CPU time used so far (user + system) and current RSS of `root` and its descendants. */
export function treeUsage(root: number): TreeUsage {
  let cpuMs = 0;
  let rssBytes = 0;
  for (const pid of processTree(root)) {
    cpuMs += readStat(pid)?.cpuMs ?? 0;
    try {
      rssBytes += parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      // exited meanwhile
    }
  }
  return { cpuMs, rssBytes };
}

export type UsageWindow = {
  /** CPU ms used since start() and the highest RSS sampled meanwhile. */
  stop(): { cpuMs: number; peakRssBytes: number };
};

/** Measures `root`'s CPU over a window and samples its RSS every `intervalMs`. */
export function measureUsage(root: number, intervalMs = 250): UsageWindow {
  const started = treeUsage(root);
  let peakRssBytes = started.rssBytes;
  const timer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, treeUsage(root).rssBytes);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const ended = treeUsage(root);
      return {
        cpuMs: ended.cpuMs - started.cpuMs,
        peakRssBytes: Math.max(peakRssBytes, ended.rssBytes),
      };
    },
  };
}
