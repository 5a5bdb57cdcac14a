import type { Credentials } from './requests.js';
import type { Finding, RunResult } from './runner.js';

// Examples shown: two for each of the most frequent signatures, one for the next ones, none
// beyond (their signature line still says what broke and how often).
const FULL_EXAMPLES = 10;
const ONE_EXAMPLE = 40;
const SHOWN_CHARS = 1500;
const PLACES_SHOWN = 8;

/** The one-line summary every run prints: what was sent, what came back, how to run it again. */
export function summaryLine(result: RunResult, seed: number, rootFields: string[]): string {
  const statuses = [...result.statuses].sort().map(([status, n]) => `${status}×${n}`);
  const codes = [...result.codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code}×${n}`);
  const unanswered = rootFields.filter((field) => !result.answeredFields.has(field));
  return [
    `fuzz: seed=${seed} operations=${result.sent} in ${(result.durationMs / 1000).toFixed(1)}s`,
    `(${result.probes} health probes)`,
    `| statuses ${statuses.join(' ')}`,
    `| codes ${codes.join(' ') || '-'}`,
    `| violations ${result.findings.length}`,
    `| root fields answered with data ${rootFields.length - unanswered.length}/${rootFields.length}`,
    unanswered.length > 0 && unanswered.length <= 20 ? `(not: ${unanswered.join(' ')})` : '',
  ].join(' ');
}

/**
 * All violations grouped by kind, then by signature (one defect), each with its first examples
 * in a replayable form: method, path, headers, body, and the response.
 */
export function violationReport(result: RunResult, seed: number, credentials: Credentials): string {
  const byKind = new Map<string, Map<string, Finding[]>>();
  for (const finding of result.findings) {
    const { kind, signature } = finding.violation;
    const signatures = byKind.get(kind) ?? new Map<string, Finding[]>();
    byKind.set(kind, signatures);
    signatures.set(signature, [...(signatures.get(signature) ?? []), finding]);
  }
  const lines: string[] = [
    `${result.findings.length} violations in ${result.sent} requests (seed ${seed}).`,
    `Replay one request: FUZZ_SEED=${seed} FUZZ_ONLY=<#> pnpm test -- test/fuzz (several: FUZZ_ONLY=1,2,3)`,
    '',
  ];
  const kinds = [...byKind].sort(
    (a, b) => severity(a[0]) - severity(b[0]) || total(b[1]) - total(a[1]),
  );
  for (const [kind, signatures] of kinds) {
    lines.push(`━━ ${kind}: ${total(signatures)} in ${signatures.size} distinct signature(s)`);
    const sorted = [...signatures].sort((a, b) => b[1].length - a[1].length);
    for (const [rank, [signature, findings]] of sorted.entries()) {
      lines.push(`  ● ${signature}  (×${findings.length})`);
      lines.push(`      seen in: ${places(findings)}`);
      const examples = rank < FULL_EXAMPLES ? 2 : rank < ONE_EXAMPLE ? 1 : 0;
      for (const finding of findings.slice(0, examples)) {
        lines.push(...describe(finding, credentials).map((line) => `      ${line}`));
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

// The worst first: a gateway that stops answering, then server errors, then leaks.
function severity(kind: string): number {
  if (kind === 'gateway unhealthy') return 0;
  if (kind === 'no response') return 1;
  if (/^HTTP 5/.test(kind)) return 2;
  if (kind === 'connection dropped after a response') return 3;
  if (kind === 'leak of internals') return 6;
  if (kind === 'malformed response' || kind === 'error without a code') return 5;
  return 4;
}

/** The kinds of request a signature was met in, most frequent first. */
function places(findings: Finding[]): string {
  const counts = new Map<string, number>();
  for (const { violation } of findings) {
    const where = violation.where ?? '-';
    counts.set(where, (counts.get(where) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, PLACES_SHOWN).map(([where, n]) => `${where} ×${n}`);
  const more = sorted.length > PLACES_SHOWN ? `, … ${sorted.length - PLACES_SHOWN} more` : '';
  return `${shown.join(', ')}${more}`;
}

function total(signatures: Map<string, Finding[]>): number {
  let sum = 0;
  for (const findings of signatures.values()) sum += findings.length;
  return sum;
}

function describe(finding: Finding, credentials: Credentials): string[] {
  const { request, response, violation } = finding;
  const redact = (text: string) =>
    text
      .replaceAll(credentials.memberToken, '<member token>')
      .replaceAll(credentials.adminToken, '<admin token>')
      .replaceAll(credentials.partnerKey, '<partner key>');
  const body =
    request.body === undefined
      ? '(none)'
      : Buffer.isBuffer(request.body)
        ? `(bytes) ${request.body.toString('hex').slice(0, 200)}`
        : shorten(request.body);
  const answer = response.failure
    ? `no response: ${response.failure}`
    : `${response.status} ${shorten(response.body)}`;
  return [
    `#${request.index} ${request.method} ${shorten(request.path, 300)}  [${redact(request.label)}]`,
    `  headers: ${shorten(redact(JSON.stringify(request.headers)), 600)}`,
    `  body: ${redact(body)}`,
    `  → ${answer}`,
    ...(violation.detail ? [`  found: ${violation.detail}`] : []),
  ];
}

/** Long texts are cut, with their length: the seed and index regenerate them exactly. */
function shorten(text: string, limit = SHOWN_CHARS): string {
  const visible = JSON.stringify(text.slice(0, limit)).slice(1, -1);
  return text.length > limit ? `${visible}… (${text.length} chars)` : visible;
}
