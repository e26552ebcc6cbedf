// Child processes for the fault tests: run a tsx script, keep every stdout line, and wait for a line by prefix
// (lines printed before the wait are found too). Children are SIGKILLed by the tests, never asked politely.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export class ChildScript {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  private exited: string | undefined;
  readonly exit: Promise<void>;

  constructor(script: string, args: string[]) {
    this.process = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr.on('data', (d: Buffer) => process.stderr.write(`[${script}] ${d}`));
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const w of this.waiters.splice(0)) w();
    });
    this.exit = new Promise((resolve) =>
      // 'close', not 'exit': it comes after stdout has been read to the end, so no line is missed.
      this.process.once('close', (code, signal) => {
        this.exited = `exited (${code ?? signal})`;
        for (const w of this.waiters.splice(0)) w();
        resolve();
      }),
    );
  }

  /** The first line (ever printed) starting with `prefix`, without the prefix. */
  async line(prefix: string): Promise<string> {
    for (;;) {
      const found = this.lines.find((l) => l.startsWith(prefix));
      if (found !== undefined) return found.slice(prefix.length).trim();
      if (this.exited) throw new Error(`child ${this.exited} before printing "${prefix}"; its output:\n${this.lines.join('\n')}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Every line starting with `prefix`, without the prefix. */
  all(prefix: string): string[] {
    return this.lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).trim());
  }

  async kill(): Promise<void> {
    if (!this.exited) this.process.kill('SIGKILL');
    await this.exit;
  }
}
