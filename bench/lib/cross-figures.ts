import type { BullmqData } from '../bullmq.bench.js';
import { correctnessRows, summaryNote, type EndToEndData, type EndToEndRun } from '../end-to-end.bench.js';
import type { HandlerOverheadData } from '../handler-overhead.bench.js';
import type { StoreRoundTripsData } from '../store-round-trips.bench.js';
import type { ScenarioResult } from './bench-context.js';
import type { BenchAdapter, ScenarioName } from './config.js';
import { infoRow, ratioRow, ratioText, type Figure, type FigureRow } from './report.js';
import { fmt, round } from './stats.js';

/** BullMQ ratio targets of the app CPU per job on Fastify (the HTTP adapter a cost-minded user picks). */
export const COST_TARGETS = { fastifyVsBullmq: 1.5, fastifyVsBullmqMoonshot: 1 } as const;

/** The figures that put two scenarios side by side: cost per job, end to end, and the peer's Redis commands. */
export function crossFigures(results: Partial<Record<ScenarioName, ScenarioResult>>): Figure[] {
  const e2e = results.e2e?.data as EndToEndData | undefined;
  const bull = results.bullmq?.data as BullmqData | undefined;
  const store = results.store?.data as StoreRoundTripsData | undefined;
  const handler = results.handler?.data as HandlerOverheadData | undefined;
  const figures: Figure[] = [];
  if (e2e) figures.push(costFigure(e2e, bull, handler), endToEndFigure(e2e, bull));
  if (bull) figures.push(peerFigure(bull, store));
  return figures;
}

const BULL = '(BullMQ worker)';

function costFigure(e2e: EndToEndData, bull: BullmqData | undefined, handler: HandlerOverheadData | undefined): Figure {
  const rows: FigureRow[] = [];
  const jobs = e2e.jobs.toLocaleString('en-US');
  const vsBull = (value: number) => (bull ? { baseline: round(bull.workerCpuMsPerJob, 4), baselineLabel: BULL, ratio: ratioText(value, bull.workerCpuMsPerJob) } : {});
  for (const [adapter, runs] of Object.entries(e2e.adapters) as [BenchAdapter, { clean: EndToEndRun; failing: EndToEndRun }][]) {
    const cpu = round(runs.clean.appCpuMsPerJob, 4);
    const metric = `${adapter}: app CPU per job, ${jobs} jobs`;
    if (adapter === 'fastify' && bull) {
      rows.push(ratioRow(metric, cpu, round(bull.workerCpuMsPerJob, 4), { max: COST_TARGETS.fastifyVsBullmq }, { unit: 'ms', baselineLabel: BULL }));
      rows.push(ratioRow(metric, cpu, round(bull.workerCpuMsPerJob, 4), { max: COST_TARGETS.fastifyVsBullmqMoonshot, label: 'moonshot' }, { unit: 'ms', baselineLabel: BULL }));
    } else {
      rows.push(infoRow(metric, cpu, { unit: 'ms', ...vsBull(runs.clean.appCpuMsPerJob), ...(bull ? {} : { target: 'BullMQ not run: add bullmq to --only' }) }));
    }
    rows.push(infoRow(`${adapter}: app CPU per job, 10 % transient failures`, round(runs.failing.appCpuMsPerJob, 4), { unit: 'ms', ...vsBull(runs.failing.appCpuMsPerJob) }));
  }
  const chainOnHandler = handler?.adapters.fastify?.chain.cpuMsPerJob;
  if (chainOnHandler !== undefined) rows.push(infoRow('fastify: chain CPU per job in the handler bench (keep-alive load)', round(chainOnHandler, 4), { unit: 'ms', ...vsBull(chainOnHandler) }));
  if (handler) rows.push(infoRow('floor (bare node:http) CPU per job in the handler bench', round(handler.floor.cpuMsPerJob, 4), { unit: 'ms', ...vsBull(handler.floor.cpuMsPerJob) }));
  const first = Object.values(e2e.adapters)[0];
  if (first) {
    rows.push(infoRow('producer CPU per job (addBulk)', round(first.clean.producerCpuMsPerJob, 4), { unit: 'ms', ...(bull ? { baseline: round(bull.producerCpuMsPerJob, 4), baselineLabel: '(BullMQ Queue.addBulk)', ratio: ratioText(first.clean.producerCpuMsPerJob, bull.producerCpuMsPerJob) } : {}) }));
  }
  const fastify = e2e.adapters.fastify?.clean ?? first?.clean;
  if (bull && fastify) {
    const ours = fastify.appCpuMsPerJob + fastify.producerCpuMsPerJob;
    const theirs = bull.workerCpuMsPerJob + bull.producerCpuMsPerJob;
    rows.push(infoRow(`producer + consumer CPU per job (${e2e.adapters.fastify ? 'fastify' : 'express'})`, round(ours, 4), { unit: 'ms', baseline: round(theirs, 4), baselineLabel: '(BullMQ)', ratio: ratioText(ours, theirs) }));
  }
  return {
    id: 'cost-per-job',
    short: 'cost per job',
    title: 'Cost per job: app CPU per completed job vs a @nestjs/bullmq worker on the same workload',
    design: `app CPU per completed job on Fastify ≤ ${COST_TARGETS.fastifyVsBullmq}× a @nestjs/bullmq worker's on the same 10,000-job workload over the local Redis (moonshot ≤ ${COST_TARGETS.fastifyVsBullmqMoonshot}×); Express printed.`,
    rows,
    notes: [
      'CPU = process.cpuUsage() (user + system) of the handling process alone, read over IPC before and after the run: the emulator, the producer and the load generator run in other processes. Our side = the end-to-end run (deliveries from the emulator, keep-alive, 50 concurrent).',
      'Our side per job: HTTP request parsing, RS256 token verification (cached per token), queue/envelope checks, class-validator on the payload, idempotency claim + complete (memory store), lifecycle events and their JSON log lines, JSON response. BullMQ\'s: its Lua-scripted fetch/complete over one TCP connection, no authentication or payload validation.',
    ],
    raw: { adapters: Object.fromEntries(Object.entries(e2e.adapters).map(([a, r]) => [a, { clean: r.clean.appCpuMsPerJob, failing: r.failing.appCpuMsPerJob }])), bullmq: bull?.workerCpuMsPerJob },
  };
}

function endToEndFigure(e2e: EndToEndData, bull: BullmqData | undefined): Figure {
  const rows: FigureRow[] = [];
  const notes: string[] = [];
  for (const [adapter, { clean, failing }] of Object.entries(e2e.adapters) as [BenchAdapter, { clean: EndToEndRun; failing: EndToEndRun }][]) {
    rows.push(
      infoRow(`${adapter}: jobs/s, enqueue → dispatch → handle`, round(clean.jobsPerSecond, 0), { unit: 'jobs/s', ...(bull ? { baseline: round(bull.jobsPerSecond, 0), baselineLabel: '(BullMQ)', ratio: ratioText(clean.jobsPerSecond, bull.jobsPerSecond) } : {}) }),
      infoRow(`${adapter}: jobs/s with 10 % transient failures`, round(failing.jobsPerSecond, 0), { unit: 'jobs/s' }),
      ...correctnessRows(clean, e2e.maxAttemptsPolicy),
      ...correctnessRows(failing, e2e.maxAttemptsPolicy),
    );
    notes.push(summaryNote(clean), summaryNote(failing));
  }
  if (bull) rows.push(infoRow('BullMQ lost / run twice', `${bull.lost} / ${bull.ranTwice}`));
  return {
    id: 'end-to-end',
    short: 'end to end',
    title: `End to end: ${e2e.jobs.toLocaleString('en-US')} jobs through the emulator, on each adapter, beside BullMQ`,
    design: '10,000 jobs enqueue → dispatch → handle through the emulator: jobs/s printed beside BullMQ\'s, 0 lost, 0 run twice; with 10 % injected transient failures, all complete within their retry policy.',
    rows,
    notes: [
      ...notes,
      `Concurrency ${e2e.concurrency} on both sides (emulator maxConcurrentDispatches / BullMQ worker concurrency); addBulk at its default concurrency 10; retry policy maxAttempts ${e2e.maxAttemptsPolicy}, minBackoff 0.1s, dispatch deadline 1800 s (emulator time scale ×${e2e.timeScale}).`,
      ...(bull ? [`BullMQ: ${bull.jobs} jobs in ${round(bull.seconds, 2)} s (addBulk ${round(bull.enqueueSeconds, 2)} s).`] : []),
    ],
    raw: { ...e2e, bullmq: bull },
  };
}

function peerFigure(bull: BullmqData, store: StoreRoundTripsData | undefined): Figure {
  const top = Object.entries(bull.redisCommandsByName)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, calls]) => `${name} ${fmt(calls / bull.jobs)}`)
    .join(', ');
  return {
    id: 'peer',
    short: 'peer',
    title: 'Peer: Redis commands per job (BullMQ, INFO commandstats) beside our Upstash commands per job',
    design: 'the BullMQ run also prints Redis commands per job (INFO commandstats) beside our Upstash commands per job.',
    rows: [
      infoRow('store commands per job', store ? round(store.commandsPerJob, 3) : 'not run', {
        baseline: round(bull.redisCommandsPerJob, 2),
        baselineLabel: '(BullMQ Redis commands)',
        ...(store ? { ratio: ratioText(store.commandsPerJob, bull.redisCommandsPerJob) } : {}),
      }),
    ],
    notes: [
      `BullMQ per job: ${top} (producer + worker; INFO commandstats counts the commands its Lua scripts run as well as the EVALSHA calls themselves).`,
      'INFO commandstats is server-wide: anything else using the local Redis during the run is counted too.',
    ],
    raw: { bullmq: bull.redisCommandsByName, upstashPerJob: store?.commandsPerJob },
  };
}
