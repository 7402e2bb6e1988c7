import { BenchRedis, REDIS_URL } from '../../lib/redis-stats.js';
import { effectKeys, parseEffectLogLine, type EffectEvent } from '../app/chaos-app.config.js';

/** Marks a Redis database as taken by one run of the suite: `runId pid`. */
const OWNER_KEY = 'chaos:owner';
/** Databases the suite may take (database 0 is left to everyone else). */
const DATABASES = Array.from({ length: 15 }, (_, i) => i + 1);
/** Everything the suite and the module write in its database. */
const OWN_PATTERNS = ['chaos:run:*', 'idempotency:*', 'deadletter:*'];

/**
 * The suite's Redis: an empty database taken for the whole run (the module's records and dead letters have fixed
 * prefixes, so a database of its own keeps runs apart), the effect counters, and the cleanup.
 */
export class ChaosRedis {
  private constructor(
    private readonly redis: BenchRedis,
    readonly database: number,
    readonly url: string,
  ) {}

  /** Takes an empty database, after giving back those that runs killed before their cleanup left behind. */
  static async claim(runId: string, baseUrl = REDIS_URL): Promise<ChaosRedis> {
    const order = [...DATABASES].sort(() => Math.random() - 0.5);
    for (const database of order) {
      const redis = new BenchRedis(withDatabase(baseUrl, database));
      await redis.connect();
      if (await reclaimable(redis)) {
        for (const pattern of OWN_PATTERNS) await redis.deleteKeys(pattern);
        await redis.client.del(OWNER_KEY);
      }
      await redis.close();
    }
    for (const database of order) {
      const url = withDatabase(baseUrl, database);
      const redis = new BenchRedis(url);
      await redis.connect();
      if ((await redis.client.dbsize()) === 0 && (await redis.client.set(OWNER_KEY, `${runId} ${process.pid}`, 'NX')) === 'OK') {
        return new ChaosRedis(redis, database, url);
      }
      await redis.close();
    }
    throw new Error(`No empty Redis database among ${DATABASES[0]}–${DATABASES.at(-1)} at ${baseUrl}: the fault suite needs one for itself.`);
  }

  /** The effect counters one scenario's apps write. */
  async effects(prefix: string): Promise<{ effects: Map<number, number>; starts: Map<number, number>; log: EffectEvent[] }> {
    const keys = effectKeys(prefix);
    const [effects, starts, log] = await Promise.all([
      this.redis.client.hgetall(keys.effects),
      this.redis.client.hgetall(keys.starts),
      this.redis.client.lrange(keys.log, 0, -1),
    ]);
    return { effects: numbers(effects), starts: numbers(starts), log: log.map(parseEffectLogLine) };
  }

  /** How many distinct jobs have entered a processor. */
  async startedJobs(prefix: string): Promise<number> {
    return this.redis.client.hlen(effectKeys(prefix).starts);
  }

  /** How many distinct jobs have had their effect. */
  async completedJobs(prefix: string): Promise<number> {
    return this.redis.client.hlen(effectKeys(prefix).effects);
  }

  /** Removes everything a scenario left (effects, idempotency records, dead letters). */
  async clean(): Promise<number> {
    let deleted = 0;
    for (const pattern of OWN_PATTERNS) deleted += await this.redis.deleteKeys(pattern);
    return deleted;
  }

  /** Cleans up and gives the database back. */
  async release(): Promise<void> {
    await this.clean();
    await this.redis.client.del(OWNER_KEY);
    await this.redis.close();
  }
}

/** The key prefix of one scenario's effects. */
export function effectsPrefix(runId: string, scenario: string): string {
  return `chaos:run:${runId}:${scenario}:`;
}

function withDatabase(baseUrl: string, database: number): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The database is held by a run whose harness is gone. */
async function reclaimable(redis: BenchRedis): Promise<boolean> {
  const owner = await redis.client.get(OWNER_KEY);
  if (!owner) return false;
  const pid = Number(owner.split(' ')[1]);
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function numbers(hash: Record<string, string>): Map<number, number> {
  return new Map(Object.entries(hash).map(([k, v]) => [Number(k), Number(v)]));
}
