import { Redis } from 'ioredis';
import { effectKeys, effectLogLine, type ChaosAppConfig } from './chaos-app.config.js';

/**
 * The side effects of the chaos jobs, in Redis straight from the processor: a start counter and, on success, the
 * effect counter and a log line (one MULTI). They survive a `kill -9` of the app, so a job that ran twice is seen.
 */
export class ChaosWorkload {
  /** Job requests inside the pipeline (guards passed) that have not finished. */
  inFlight = 0;
  /** Processor calls running. */
  running = 0;
  started = 0;
  succeeded = 0;
  private readonly redis: Redis;
  private readonly keys: ReturnType<typeof effectKeys>;

  constructor(readonly config: ChaosAppConfig) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 5 });
    this.keys = effectKeys(config.effectsPrefix);
  }

  async start(seq: number): Promise<void> {
    this.started++;
    await this.redis.hincrby(this.keys.starts, String(seq), 1);
  }

  async effect(seq: number): Promise<void> {
    const line = effectLogLine({ seq, instance: this.config.instance, pid: process.pid, at: Date.now() });
    await this.redis.multi().hincrby(this.keys.effects, String(seq), 1).rpush(this.keys.log, line).exec();
    this.succeeded++;
  }

  stats(): { instance: string; pid: number; inFlight: number; running: number; started: number; succeeded: number } {
    const { inFlight, running, started, succeeded } = this;
    return { instance: this.config.instance, pid: process.pid, inFlight, running, started, succeeded };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Waits `ms`; with a signal, rejects with its reason as soon as it aborts. */
export function work(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
