import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from './managed-process.js';

// NOTE: the package's own bin, next to its entry point.
const CLI = fileURLToPath(new URL('./cli.js', import.meta.resolve('@nest-cloud-tasks/upstash-local')));

/** upstash-local as a child process over the suite's Redis database; each (re)start takes a free port. */
export class UpstashLocalCli {
  private process?: ManagedProcess;
  url?: string;
  private starts = 0;

  constructor(
    private readonly setup: { redisUrl: string; token: string; dir: string },
  ) {}

  get token(): string {
    return this.setup.token;
  }

  async start(): Promise<string> {
    this.process = await ManagedProcess.start({
      name: `upstash-local#${++this.starts}`,
      script: CLI,
      args: ['--port', '0', '--token', this.setup.token, '--redis-url', this.setup.redisUrl],
      readyLine: /upstash-local listening url=(\S+)/,
      logFile: join(this.setup.dir, 'upstash-local.log'),
    });
    this.url = this.process.ready[1];
    return this.url;
  }

  /** `kill -9`. */
  async crash(): Promise<void> {
    await this.process?.crash();
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}
