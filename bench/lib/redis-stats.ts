import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Calls per command from `INFO commandstats` (`cmdstat_get:calls=12,…` → `{ get: 12 }`). */
export type CommandCounts = Record<string, number>;

export function parseCommandStats(info: string): CommandCounts {
  const counts: CommandCounts = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) counts[match[1]] = Number(match[2]);
  }
  return counts;
}

/** Commands run between two snapshots, without the `INFO` calls that took them. */
export function commandDelta(before: CommandCounts, after: CommandCounts): { total: number; byCommand: CommandCounts } {
  const byCommand: CommandCounts = {};
  let total = 0;
  for (const [name, calls] of Object.entries(after)) {
    if (name === 'info') continue;
    const delta = calls - (before[name] ?? 0);
    if (delta > 0) {
      byCommand[name] = delta;
      total += delta;
    }
  }
  return { total, byCommand };
}

/** A connection to the local Redis for the benches' own bookkeeping (stats, cleanup). */
export class BenchRedis {
  readonly client: Redis;

  constructor(url = REDIS_URL) {
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async connect(): Promise<void> {
    try {
      await this.client.connect();
      await this.client.ping();
    } catch (error) {
      throw new Error(`The local Redis at ${REDIS_URL} is not reachable (${(error as Error).message}); start it (redis-server) or set REDIS_URL.`);
    }
  }

  async commandStats(): Promise<CommandCounts> {
    return parseCommandStats(await this.client.info('commandstats'));
  }

  /** Deletes every key matching `pattern` (SCAN + UNLINK); resolves how many went. */
  async deleteKeys(pattern: string): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await this.client.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
