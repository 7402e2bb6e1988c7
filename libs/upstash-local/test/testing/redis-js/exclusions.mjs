// What of the @upstash/redis test suite does not run against upstash-local over Redis 7, and why (see the
// upstash-local README, "The @upstash/redis test suite").
export const EXCLUDED_FILES = {
  'http.test.ts': 'tests the client HttpClient against a mock server (bun serve), not a server',
  'test-utils.test.ts': 'tests the suite helpers',
  'functions.integration.test.ts': 'drives the client internals (HttpClient with custom options) rather than commands',
};

/** Whole families Redis 7.0 lacks: modules and commands of later Redis versions. */
export const EXCLUDED_PATTERNS = [
  { pattern: /^commands\/json_/, reason: 'RedisJSON (JSON.*): a Redis module, not in Redis 7' },
  { pattern: /^commands\/search\//, reason: 'Upstash search (RediSearch-like): not in Redis 7' },
  { pattern: /^commands\/(hexpire|hexpireat|hexpiretime|hpexpire|hpexpireat|hpexpiretime|hpttl|httl|hpersist)\.test\.ts$/, reason: 'hash-field expiry: Redis 7.4' },
  { pattern: /^commands\/(hgetdel|hgetex|hsetex)\.test\.ts$/, reason: 'HGETDEL/HGETEX/HSETEX: Redis 8.0' },
  { pattern: /^commands\/(xackdel|xdelex)\.test\.ts$/, reason: 'XACKDEL/XDELEX: Redis 8.2' },
];

/** Values the tests import from the client's source that are not commands. */
export const CONSTANTS = ['MAX_PIPELINE_SIZE', 'UNBALANCED_XREADGROUP_ERR', 'UNBALANCED_XREAD_ERR'];

/** file → tests (by their title) to skip, with the reason. */
export const SKIPPED_TESTS = {
  'commands/subscribe.test.ts': [{ name: 'should handle streaming data split across two chunks', reason: 'tests the client parser against a bun mock server' }],
  'commands/bitop.test.ts': [
    { name: 'sets bits that are in X but not in any Y', reason: 'BITOP DIFF: Redis 8.2' },
    { name: 'sets bits that are in Y but not in X', reason: 'BITOP DIFF1: Redis 8.2' },
    { name: 'sets bits that are in X AND in one or more Y', reason: 'BITOP ANDOR: Redis 8.2' },
    { name: 'sets bits that are in exactly one source', reason: 'BITOP ONE: Redis 8.2' },
  ],
  'auto-pipeline.test.ts': [
    { name: 'should batch a large Promise.all of mixed reads and writes into one read and one write pipeline', reason: 'sends HEXPIRE (Redis 7.4) and JSON.* (RedisJSON)' },
    { name: 'should split JSON reads and writes into separate pipelines across awaited Promise.all calls', reason: 'JSON.* (RedisJSON)' },
    { name: 'should split a Promise.all of json.set and json.get into separate write and read pipelines', reason: 'JSON.* (RedisJSON)' },
  ],
  'pipeline.test.ts': [{ name: 'works', within: 'use all the things', reason: 'the "use all the things" pipeline sends HEXPIRE (Redis 7.4) and JSON.* (RedisJSON)' }],
  'redis.test.ts': [{ name: 'should create index, seed data, and query', reason: 'SEARCH.* (Upstash search)' }],
  'commands/xtrim.test.ts': [{ name: 'should approximately trim stream to 30 items', reason: 'XTRIM ~ trims whole stream nodes in Redis (stream-node-max-entries 100), closer to the target in Upstash' }],
  'commands/xreadgroup.test.ts': [{ name: 'should return 0 items in PEL', reason: 'Redis creates the consumer on XREADGROUP … NOACK (XINFO CONSUMERS lists it); Upstash does not' }],
  'script.test.ts': [
    { name: 'calculates the correct sha1', reason: "client side: the client's WebCrypto SHA-1 is not always ready one macrotask later under Node (it is under bun)" },
    { name: 'calculates the correct sha1 for empty string', reason: 'the same' },
  ],
};

/**
 * Files whose tests wait for TTLs to pass (seconds of real time) and share nothing: they run concurrently
 * (test.concurrent, five at a time) so the suite does not take minutes. Files with per-test hooks cannot.
 */
export const CONCURRENT_FILES = [
  'commands/evalshaRo.test.ts',
  'commands/expire.test.ts',
  'commands/expireat.test.ts',
  'commands/getex.test.ts',
  'commands/persist.test.ts',
  'commands/pexpire.test.ts',
  'commands/pexpireat.test.ts',
  'commands/psetex.test.ts',
  'commands/set.test.ts',
  'commands/setex.test.ts',
  'commands/xautoclaim.test.ts',
];

/** Files that flush the database or the script cache: they run last, after the concurrent tests are done. */
export const RUN_LAST = /flush/;
