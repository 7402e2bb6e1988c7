import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import { loadConfig, SCENARIOS, type ScenarioName } from './lib/config.js';
import { crossFigures } from './lib/cross-figures.js';
import { renderFigure, renderSummary, writeJson, type Figure } from './lib/report.js';

/**
 * `npm run bench`: measures every figure the project holds itself to, side by side in one run and on each HTTP
 * adapter, prints one table per figure (target, measured, ratio, PASS/MISS) and writes bench/results/latest.json.
 *
 *   node dist/bench/run.js [--only handler,abuse,cold-start,store,enqueue,e2e,bullmq]
 *   BENCH_QUICK=1 (smoke sizes)    BENCH_JOBS=N    BENCH_ADAPTERS=express,fastify
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
  const ctx: BenchContext = { config, log };
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, platform: `${process.platform} ${process.arch}`, loadAtStart: loadavg().map((l) => Math.round(l * 100) / 100) };
  log(`${config.quick ? 'QUICK ' : ''}run: ${[...config.only].join(', ')}; adapters ${config.adapters.join(', ')}; ${config.jobs} jobs; ${machine.cpus} CPUs, Node ${machine.node}; load ${machine.loadAtStart.join(' ')}`);

  const results: Partial<Record<ScenarioName, ScenarioResult>> = {};
  const failures: Partial<Record<ScenarioName, string>> = {};
  for (const name of SCENARIOS) {
    if (!config.only.has(name)) continue;
    const t0 = Date.now();
    log(`── ${name}`);
    try {
      results[name] = await runScenario(name, ctx);
      log(`── ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    } catch (error) {
      failures[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`── ${name} FAILED: ${failures[name]}`);
    }
  }

  const figures: Figure[] = [...Object.values(results).flatMap((r) => r.figures), ...crossFigures(results)];
  const order = ['handler-overhead-express', 'handler-overhead-fastify', 'cost-per-job', 'cold-start', 'abuse', 'store-round-trips', 'enqueue', 'end-to-end', 'peer'];
  figures.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const seconds = (Date.now() - started) / 1000;
  const loadAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);

  const out: string[] = [`# nest-cloud-tasks bench${config.quick ? ' (QUICK: smoke sizes, not the figures)' : ''}`];
  out.push(`machine: ${machine.cpus} × ${machine.cpuModel ?? 'CPU'}, Node ${machine.node}, ${machine.platform}; adapters: ${config.adapters.join(', ')}; jobs per run: ${config.jobs}; load average (1/5/15 min) at start ${machine.loadAtStart.join(' ')}, at end ${loadAtEnd.join(' ')}`);
  for (const figure of figures) out.push(renderFigure(figure));
  out.push(renderSummary(figures));
  for (const [name, error] of Object.entries(failures)) out.push(`\nSCENARIO FAILED: ${name}: ${error.split('\n')[0]}`);
  out.push(`\nbench runtime: ${seconds.toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);

  const jsonPath = fileURLToPath(new URL(`../../bench/results/${config.quick ? 'quick' : 'latest'}.json`, import.meta.url));
  writeJson(jsonPath, {
    at: new Date(started).toISOString(),
    runtimeSeconds: Math.round(seconds * 10) / 10,
    machine: { ...machine, loadAtEnd },
    config: { ...config, only: [...config.only] },
    figures: figures.map(({ id, title, design, rows, notes, raw }) => ({ id, title, design, rows, notes, raw })),
    failures,
  });
  log(`results written to ${jsonPath}`);
  process.exitCode = Object.keys(failures).length > 0 ? 1 : 0;
  // NOTE: every scenario closes what it opened; this only guards against a stray handle keeping the run alive.
  setTimeout(() => process.exit(), 5_000).unref();
}

/** Scenario modules are loaded on demand: `--only handler` runs without the emulator or Redis. */
async function runScenario(name: ScenarioName, ctx: BenchContext): Promise<ScenarioResult> {
  switch (name) {
    case 'handler':
      return (await import('./handler-overhead.bench.js')).runHandlerOverhead(ctx);
    case 'abuse':
      return (await import('./abuse.bench.js')).runAbuse(ctx);
    case 'cold-start':
      return (await import('./cold-start.bench.js')).runColdStart(ctx);
    case 'store':
      return (await import('./store-round-trips.bench.js')).runStoreRoundTrips(ctx);
    case 'enqueue':
      return (await import('./enqueue.bench.js')).runEnqueue(ctx);
    case 'e2e':
      return (await import('./end-to-end.bench.js')).runEndToEnd(ctx);
    case 'bullmq':
      return (await import('./bullmq.bench.js')).runBullmq(ctx);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
