import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Path of a script compiled next to this module (dist/<name>.js). Tests run the TypeScript
 * sources, where no .js sibling exists, so they fall back to the built copy in dist/ — the
 * package's test script builds first.
 */
export function siblingScript(name: string): string {
  for (const candidate of [`./${name}.js`, `../dist/${name}.js`]) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`${name}.js not found next to @hub/dev-infra's code: build the package first`);
}

/** Keeps the last lines a child process wrote, for error messages. */
export class OutputTail {
  private lines: string[] = [];
  constructor(private readonly max = 40) {}

  push(chunk: Buffer | string): void {
    this.lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    if (this.lines.length > this.max) this.lines = this.lines.slice(-this.max);
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
