// docs/schema-changes.md: the record of every breaking or dangerous change to the public schema,
// read by the schema check. The file is for people first (partners read it), so its format is
// plain Markdown with a few fixed labels, and a malformed entry is an error naming its line.

/** One change as graphql-inspector reports it: its coordinate and its message. */
export type RecordedChange = { path: string; message: string };

export type ChangeLogEntry = {
  /** YYYY-MM-DD */
  date: string;
  title: string;
  changes: RecordedChange[];
  why: string;
  clients: string;
  /** 1-based line of the entry's heading, for messages. */
  line: number;
};

export type ChangeLog = {
  /** The commit partners last integrated against: the check's base when no other applies. */
  baseline: string;
  entries: ChangeLogEntry[];
};

export class ChangeLogError extends Error {
  constructor(readonly problems: string[]) {
    super(`docs/schema-changes.md:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ChangeLogError';
  }
}

const BASELINE = /^Baseline:\s*`([0-9a-f]{7,40})`/;
const HEADING = /^## (\d{4}-\d{2}-\d{2}) [—–-] (\S.*)$/;
const LABEL = /^[-*] \*{0,2}(Changes|Why|Clients)\*{0,2}:\*{0,2}\s*(.*)$/i;
const CHANGE = /^\s+[-*] `([^`]+)` [—–-] (\S.*)$/;

/** The line that records a change, as the check prints it for pasting under `- Changes:`. */
export function changeLine(change: RecordedChange): string {
  return `  - \`${change.path}\` — ${change.message}`;
}

/** Whitespace-insensitive identity of a change: its coordinate and graphql-inspector's message. */
export function changeKey(change: RecordedChange): string {
  return `${change.path}\u0000${change.message.replace(/\s+/g, ' ').trim()}`;
}

export function parseChangeLog(markdown: string): ChangeLog {
  const problems: string[] = [];
  const lines = markdown.split(/\r?\n/);
  let baseline: string | undefined;
  const entries: ChangeLogEntry[] = [];
  let entry: (ChangeLogEntry & { label?: 'changes' | 'why' | 'clients' }) | undefined;

  const finish = () => {
    if (!entry) return;
    const where = `line ${entry.line} (${entry.date} — ${entry.title})`;
    if (entry.changes.length === 0) problems.push(`${where}: no \`- Changes:\` listed`);
    if (!entry.why.trim()) problems.push(`${where}: \`- Why:\` is missing or empty`);
    if (!entry.clients.trim()) problems.push(`${where}: \`- Clients:\` is missing or empty`);
    const { label: _label, ...done } = entry;
    entries.push({ ...done, why: done.why.trim(), clients: done.clients.trim() });
    entry = undefined;
  };

  let isInFence = false;
  lines.forEach((text, index) => {
    const line = index + 1;
    // Examples in fenced code blocks are not entries.
    if (/^\s*(```|~~~)/.test(text)) isInFence = !isInFence;
    if (isInFence || /^\s*(```|~~~)/.test(text)) return;
    if (text.startsWith('## ')) {
      finish();
      const heading = HEADING.exec(text);
      if (!heading || !isCalendarDate(heading[1] as string)) {
        problems.push(`line ${line}: an entry starts with \`## YYYY-MM-DD — what changed\``);
        return;
      }
      entry = {
        date: heading[1] as string,
        title: (heading[2] as string).trim(),
        changes: [],
        why: '',
        clients: '',
        line,
      };
      return;
    }
    if (!entry) {
      const found = BASELINE.exec(text);
      if (found) baseline = found[1];
      return;
    }
    const label = LABEL.exec(text);
    if (label) {
      entry.label = (label[1] as string).toLowerCase() as 'changes' | 'why' | 'clients';
      const rest = (label[2] as string).trim();
      if (entry.label === 'why') entry.why += rest;
      if (entry.label === 'clients') entry.clients += rest;
      return;
    }
    if (entry.label === 'changes' && /^\s+[-*] /.test(text)) {
      const change = CHANGE.exec(text);
      if (change) entry.changes.push({ path: change[1] as string, message: change[2] as string });
      else problems.push(`line ${line}: a change is \`  - \\\`Type.field\\\` — <message>\``);
      return;
    }
    // Continuation lines of Why / Clients (indented text under the label).
    if (/^\s+\S/.test(text) && (entry.label === 'why' || entry.label === 'clients')) {
      entry[entry.label] += ` ${text.trim()}`;
    }
  });
  finish();

  if (!baseline) {
    problems.push('no `Baseline: `<commit>`` line before the first entry');
  }
  if (problems.length > 0) throw new ChangeLogError(problems);
  return { baseline: baseline as string, entries };
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
