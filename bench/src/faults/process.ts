import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export type StopOutcome = { name: string; forced: boolean };

/** An exit the harness did not cause: a crash the fault provoked. */
export type UnexpectedExit = {
  name: string;
  code: number | null;
  signal: string | null;
  logTail: string;
};

/** A supervisor restarts a crashed service after this long (compose's `restart: unless-stopped`). */
export const RESTART_DELAY_MS = 500;

/**
 * One child process the harness can start, kill -9 and start again with the same command and
 * environment. Like the supervisor of a deployment (compose restarts every service unless
 * stopped), it starts a process that exited by itself again after RESTART_DELAY_MS, and keeps
 * the exit for the report. Output of every incarnation is appended to one log file.
 */
export class ManagedProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #isExitExpected = false;
  #isStopped = false;
  readonly unexpectedExits: UnexpectedExit[] = [];

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly cwd: string,
  ) {}

  start(): void {
    if (this.isRunning) throw new Error(`${this.name} is already running`);
    const log = openSync(this.logFile, 'a');
    const child = spawn(this.command, this.args, {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.#child = child;
    this.#isExitExpected = false;
    this.#isStopped = false;
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.#isExitExpected) {
          this.unexpectedExits.push({ name: this.name, code, signal, logTail: this.#logTail() });
          setTimeout(() => {
            if (!this.#isStopped && !this.isRunning) this.start();
          }, RESTART_DELAY_MS);
        }
        resolve();
      }),
    );
  }

  /**
   * Why a crashed process stopped: the last error line of its log (Node prints the uncaught
   * error, then a source excerpt and its version), else its last line.
   */
  #logTail(): string {
    try {
      const lines = readFileSync(this.logFile, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(-40);
      const error = lines.findLast((line) => /(^|\b)(\w*Error|error)\b[:\]]/.test(line));
      return (error ?? lines.at(-1) ?? '').slice(0, 300);
    } catch {
      return '';
    }
  }

  get isRunning(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** kill -9: no shutdown code runs, like a crash or an OOM kill. */
  async kill(): Promise<void> {
    if (!this.isRunning) return;
    this.#isExitExpected = true;
    this.#child!.kill('SIGKILL');
    await this.#exited;
  }

  /**
   * SIGTERM, then SIGKILL if the process has not exited within `timeoutMs`: a service whose
   * shutdown hangs (a pool that never drains) must not hold the harness; `forced` says so.
   */
  async stop(timeoutMs = 5_000): Promise<StopOutcome> {
    this.#isStopped = true;
    if (!this.isRunning) return { name: this.name, forced: false };
    this.#isExitExpected = true;
    this.#child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const isForced = await Promise.race([
      this.#exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (isForced) await this.kill();
    return { name: this.name, forced: isForced };
  }
}
