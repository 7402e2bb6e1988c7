import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WATCHDOG = fileURLToPath(new URL('./parent-watchdog.js', import.meta.url));
const STOP_GRACE_MS = 3_000;

/** How to start a supervised Node process and recognise that it is ready. */
export interface ManagedProcessSpec {
  /** Name used in errors and the log file. */
  name: string;
  /** Script run with the current Node (`dist/...js`). */
  script: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Matched against each stdout line; the match is kept as `ready`. */
  readyLine: RegExp;
  /** Default 30 s. */
  readyTimeoutMs?: number;
  /** stdout and stderr of the process go here (appended). */
  logFile: string;
}

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<ManagedProcess>();

/** SIGKILLs every process still running (synchronous: safe in an `exit` handler). Returns how many were killed. */
export function killAllManagedProcesses(): number {
  let killed = 0;
  for (const child of live) {
    if (child.kill('SIGKILL')) killed++;
  }
  return killed;
}

/**
 * A child process of the suite: started with a parent watchdog preloaded, logged to a file, ready when its readiness
 * line appears on stdout, and registered so that an interrupted or crashed harness kills it.
 */
export class ManagedProcess {
  /** The readiness line's match (set once the process is ready). */
  ready!: RegExpMatchArray;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly exited: Promise<ProcessExit>,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  static async start(spec: ManagedProcessSpec): Promise<ManagedProcess> {
    const log = createWriteStream(spec.logFile, { flags: 'a' });
    log.write(`--- ${new Date().toISOString()} ${spec.name}: node ${spec.script} ${spec.args.join(' ')}\n`);
    const child = spawn(process.execPath, ['--import', WATCHDOG, spec.script, ...spec.args], {
      env: { ...process.env, NO_COLOR: '1', ...spec.env, CHAOS_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const managed = new ManagedProcess(spec.name, child, exited);
    live.add(managed);
    void exited.then(() => {
      live.delete(managed);
      log.end();
    });
    try {
      managed.ready = await waitForLine(child, log, spec);
      return managed;
    } catch (error) {
      managed.kill('SIGKILL');
      await exited;
      throw error;
    }
  }

  /** Sends a signal; false when the process had already ended. */
  kill(signal: NodeJS.Signals): boolean {
    if (!this.running) return false;
    return this.child.kill(signal);
  }

  /** `kill -9`, resolved once the process is gone. */
  async crash(): Promise<void> {
    this.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it lingers; resolves once it has exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.kill('SIGCONT');
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

function waitForLine(child: ChildProcess, log: WriteStream, spec: ManagedProcessSpec): Promise<RegExpMatchArray> {
  const timeoutMs = spec.readyTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let ready = false;
    let pending = '';
    const tail: string[] = [];
    const keep = (text: string) => {
      tail.push(text);
      if (tail.length > 20) tail.shift();
    };
    const fail = (why: string) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      reject(new Error(`${spec.name} ${why}; log ${spec.logFile}${tail.length ? `:\n${tail.join('').trimEnd()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`printed no readiness line (${spec.readyLine}) within ${timeoutMs} ms`), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (ready) return;
      const text = pending + chunk.toString('utf8');
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        keep(`${line}\n`);
        const match = spec.readyLine.exec(line);
        if (match) {
          ready = true;
          clearTimeout(timer);
          resolve(match);
          return;
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (!ready) keep(chunk.toString('utf8'));
    });
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
  });
}
