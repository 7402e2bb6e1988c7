/** Scenarios `run.js` knows, in the order they run. */
export const SCENARIOS = ['handler', 'abuse', 'cold-start', 'store', 'enqueue', 'e2e', 'bullmq'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The Nest HTTP adapters the job endpoint runs on; every endpoint figure is measured on each. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type BenchAdapter = (typeof ADAPTERS)[number];

/** Sizes and durations of one bench run, from the environment and the command line. */
export interface BenchConfig {
  quick: boolean;
  only: Set<ScenarioName>;
  /** Adapters the endpoint figures are measured on (`BENCH_ADAPTERS=express,fastify`, both by default). */
  adapters: BenchAdapter[];
  /** Jobs of the end-to-end, BullMQ and addBulk runs (10,000). */
  jobs: number;
  /** Jobs sent through the Upstash store to count its commands. */
  storeJobs: number;
  /** Seconds of each measured autocannon run (warm-up excluded). */
  httpSeconds: number;
  /** Seconds of the warm-up before each autocannon run. */
  warmupSeconds: number;
  /** Alternating rounds of the handler runs (bare, chain, bare, chain …). */
  httpRounds: number;
  /** autocannon connections for the throughput runs. */
  connections: number;
  /** Sequential single `add()` calls per target (latency). */
  singleAdds: number;
  /** Rounds of each addBulk measurement (the best of them is kept, on both sides). */
  enqueueRounds: number;
  /** Jobs of warm-up batches. */
  warmupJobs: number;
  /** Concurrent deliveries on both sides of the end-to-end comparison (emulator maxConcurrentDispatches, worker concurrency). */
  e2eConcurrency: number;
  /** Emulator time scale: backoffs, schedule times, rate windows and dispatch deadlines run this many times faster. */
  timeScale: number;
  /** Process starts per side of the cold-start figure (the median is kept). */
  coldStartRuns: number;
  /** Stalled connections of the memory-under-abuse figure. */
  stalledConnections: number;
  /** Seconds the stalled connections trickle their bodies. */
  stallSeconds: number;
  /** Requests per body shape of the worst-shaped-body figure. */
  hostileBodyRequests: number;
}

const ALIASES: Record<string, ScenarioName> = {
  handler: 'handler',
  'handler-overhead': 'handler',
  store: 'store',
  'store-round-trips': 'store',
  abuse: 'abuse',
  memory: 'abuse',
  'cold-start': 'cold-start',
  cold: 'cold-start',
  coldstart: 'cold-start',
  upstash: 'store',
  enqueue: 'enqueue',
  e2e: 'e2e',
  'end-to-end': 'e2e',
  bullmq: 'bullmq',
};

/** Reads `BENCH_QUICK=1`, `BENCH_JOBS=N`, `BENCH_ADAPTERS=a,b` and `--only a,b` (or `--only=a,b`). */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true' || argv.includes('--quick');
  const only = parseOnly(argv);
  const jobsEnv = env.BENCH_JOBS ? Number(env.BENCH_JOBS) : undefined;
  if (jobsEnv !== undefined && !(Number.isInteger(jobsEnv) && jobsEnv > 0)) throw new Error(`BENCH_JOBS must be a positive integer, got "${env.BENCH_JOBS}".`);
  const jobs = jobsEnv ?? (quick ? 1_000 : 10_000);
  return {
    quick,
    only,
    adapters: parseAdapters(env.BENCH_ADAPTERS),
    jobs,
    storeJobs: quick ? 200 : Math.min(2_000, jobs),
    httpSeconds: quick ? 2 : 8,
    warmupSeconds: quick ? 1 : 3,
    httpRounds: quick ? 1 : 3,
    connections: 10,
    singleAdds: quick ? 200 : 1_000,
    enqueueRounds: quick ? 1 : 3,
    warmupJobs: quick ? 200 : 1_000,
    e2eConcurrency: 50,
    timeScale: 100,
    coldStartRuns: quick ? 2 : 5,
    stalledConnections: 400,
    stallSeconds: quick ? 2 : 5,
    hostileBodyRequests: quick ? 2 : 5,
  };
}

function parseAdapters(value: string | undefined): BenchAdapter[] {
  if (!value) return [...ADAPTERS];
  const adapters = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const adapter of adapters) {
    if (!(ADAPTERS as readonly string[]).includes(adapter)) throw new Error(`Unknown adapter "${adapter}" in BENCH_ADAPTERS: expected some of ${ADAPTERS.join(', ')}.`);
  }
  return [...new Set(adapters)] as BenchAdapter[];
}

function parseOnly(argv: readonly string[]): Set<ScenarioName> {
  const index = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (index === -1) return new Set(SCENARIOS);
  const value = argv[index].includes('=') ? argv[index].slice('--only='.length) : argv[index + 1];
  if (!value) throw new Error(`--only needs a list: ${SCENARIOS.join(',')}`);
  const names = new Set<ScenarioName>();
  for (const raw of value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const name = ALIASES[raw];
    if (!name) throw new Error(`Unknown scenario "${raw}" in --only: expected some of ${SCENARIOS.join(', ')}.`);
    names.add(name);
  }
  return names;
}
