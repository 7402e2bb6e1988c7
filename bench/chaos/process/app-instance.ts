import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAOS_APP_ENV, type ChaosAppConfig } from '../app/chaos-app.config.js';
import { ManagedProcess } from './managed-process.js';

const MAIN = fileURLToPath(new URL('../app/main.js', import.meta.url));

/** What `GET /chaos/stats` answers. */
export interface AppStats {
  instance: string;
  pid: number;
  inFlight: number;
  running: number;
  started: number;
  succeeded: number;
}

/** One chaos app instance (a child process); `restart()` starts a fresh process on a new port, as Cloud Run would. */
export class AppInstance {
  private process?: ManagedProcess;
  url?: string;
  private generation = 0;

  constructor(
    readonly name: string,
    private readonly config: ChaosAppConfig,
    private readonly dir: string,
  ) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  async start(): Promise<string> {
    this.generation++;
    this.process = await ManagedProcess.start({
      name: `app ${this.name}#${this.generation}`,
      script: MAIN,
      args: [],
      env: { [CHAOS_APP_ENV]: JSON.stringify(this.config) },
      readyLine: /chaos-app listening instance=\S+ url=(\S+)/,
      logFile: join(this.dir, `app-${this.name}.log`),
    });
    this.url = this.process.ready[1];
    return this.url;
  }

  /** Its stats, or undefined when it does not answer within `timeoutMs` (paused, dead, overloaded). */
  async stats(timeoutMs = 2_000): Promise<AppStats | undefined> {
    if (!this.url || !this.running) return undefined;
    try {
      const res = await fetch(`${this.url}/chaos/stats`, { signal: AbortSignal.timeout(timeoutMs) });
      return res.ok ? ((await res.json()) as AppStats) : undefined;
    } catch {
      return undefined;
    }
  }

  /** `kill -9`: resolves with the pid that died. */
  async crash(): Promise<number | undefined> {
    const pid = this.process?.pid;
    await this.process?.crash();
    return pid;
  }

  /** SIGSTOP: the process freezes (timers, sockets, lease renewals) until `resume()`. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}
