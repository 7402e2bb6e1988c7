import type { Redis } from 'ioredis';
import type { RedisCommand } from './command.parser.js';

/**
 * Commands Upstash answers differently from Redis 7, in ways user code can notice, answered here the Upstash way.
 * Returns undefined for every other command (sent to Redis unchanged).
 */
export function upstashAnswer(command: RedisCommand): ((redis: Redis) => Promise<unknown>) | undefined {
  const { name, argv } = command;
  // NOTE: Redis refuses "source and destination objects are the same"; Upstash answers 0 (not copied).
  if (name === 'COPY' && argv.length >= 3 && argv[1] === argv[2] && !argv.slice(3).some((a) => a.toUpperCase() === 'DB')) {
    return () => Promise.resolve(0);
  }
  // NOTE: SCAN … WITHTYPE is an Upstash extension: keys interleaved with their types ([cursor, [k1, t1, k2, t2…]]).
  if (name === 'SCAN' && argv.some((a) => a.toUpperCase() === 'WITHTYPE')) {
    const args = argv.slice(1).filter((a) => a.toUpperCase() !== 'WITHTYPE');
    return async (redis) => {
      const [cursor, keys] = (await redis.callBuffer('SCAN', args)) as [Buffer, Buffer[]];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.type(key);
      const types = keys.length === 0 ? [] : ((await pipeline.exec()) ?? []);
      return [cursor, keys.flatMap((key, i) => [key, Buffer.from(String(types[i]?.[1] ?? 'none'))])];
    };
  }
  return undefined;
}
