import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJson } from '../lib/report.js';
import { parseChaosArgs } from './chaos.config.js';
import { ChaosRedis } from './lib/chaos-redis.js';
import { renderChaosReport } from './lib/chaos-report.js';
import type { RunContext, ScenarioRow } from './lib/chaos-stack.js';
import { killAllManagedProcesses } from './process/managed-process.js';
import { SCENARIOS } from './scenarios/index.js';

/** The whole run never takes longer than this, whatever hangs (then everything is killed and the run fails). */
const RUN_CAP_MS = { full: 25 * 60_000, short: 6 * 60_000 };

/**
 * `npm run chaos`: the fault suite. Runs each scenario against real processes (emulator CLI, upstash-local CLI, app
 * instances) with faults injected, counts each job's effect, prints one row per scenario and exits 1 on a miss.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = parseChaosArgs(process.argv.slice(2), SCENARIOS);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (config.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(22)} ${s.summary}\n`);
    return 0;
  }
  const runId = randomBytes(4).toString('hex');
  const dir = join(tmpdir(), `chaos-${runId}`);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const log = (message: string) => process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
  const redis = await ChaosRedis.claim(runId);
  const cleanup = once(async () => {
    killAllManagedProcesses();
    await withTimeout(redis.release(), 5_000).catch(() => undefined);
  });
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping every process of the run and removing its Redis keys`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  process.on('exit', () => killAllManagedProcesses());
  const cap = config.short ? RUN_CAP_MS.short : RUN_CAP_MS.full;
  setTimeout(() => {
    log(`the run exceeded its cap of ${cap / 60_000} min: stopping`);
    void cleanup().finally(() => process.exit(1));
  }, cap).unref();

  const ctx: RunContext = { runId, seed: config.seed, dir, redis, log };
  log(`run ${runId}${config.short ? ' (short)' : ''}: ${config.scenarios.map((s) => s.name).join(', ')}; Redis database ${redis.database}; logs in ${dir}; ${cpus().length} CPUs, Node ${process.version}`);
  const rows: ScenarioRow[] = [];
  for (const scenario of config.scenarios) {
    const t0 = Date.now();
    log(`── ${scenario.name}: ${scenario.summary}`);
    try {
      const result = await scenario.run(ctx, config.short);
      rows.push(...result);
      for (const row of result) log(`── ${scenario.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${row.violations.length === 0 ? 'targets met' : row.violations.join('; ')}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`── ${scenario.name} ERROR: ${message}`);
      rows.push({ scenario: scenario.name, label: scenario.summary, violations: [], wallMs: Date.now() - t0, notes: [], error: message.split('\n')[0] });
    } finally {
      killAllManagedProcesses();
      await redis.clean();
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const adapter = process.env.CHAOS_HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';
  const heading = `Fault suite${config.short ? ' (short)' : ''}: ${rows.length} rows, seed ${config.seed}, ${adapter}, ${seconds.toFixed(0)} s`;
  process.stdout.write(`${renderChaosReport(rows, heading)}\n`);
  writeJson(fileURLToPath(new URL(`../../../bench/results/chaos-${config.short ? 'short' : 'full'}.json`, import.meta.url)), { at: new Date(started).toISOString(), runtimeSeconds: seconds, short: config.short, seed: config.seed, rows });
  await cleanup();
  const failed = rows.some((r) => r.error || r.violations.length > 0);
  if (config.keepLogs || failed) log(`logs kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return failed ? 1 : 0;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

main().then(
  (code) => {
    process.exitCode = code;
    // NOTE: everything the run opened is closed; this only keeps a stray handle from holding the process.
    setTimeout(() => process.exit(), 2_000).unref();
  },
  (error: unknown) => {
    killAllManagedProcesses();
    process.stderr.write(`chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
