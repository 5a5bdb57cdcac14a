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

/**
 * One child process the harness can start, kill -9 and start again with the same command and
 * environment — what a supervisor (systemd, Kubernetes) does for a crashed service. Output of
 * every incarnation is appended to one log file.
 */
export class ManagedProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #isExitExpected = false;
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
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.#isExitExpected) {
          this.unexpectedExits.push({ name: this.name, code, signal, logTail: this.#logTail() });
        }
        resolve();
      }),
    );
  }

  /** The last lines of the log: why a crashed process stopped. */
  #logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-3).join('\n');
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
