import type { BullmqData } from '../bullmq.bench.js';
import { correctnessRows, summaryNote, type EndToEndData } from '../end-to-end.bench.js';
import type { StoreRoundTripsData } from '../store-round-trips.bench.js';
import type { ScenarioResult } from './bench-context.js';
import type { ScenarioName } from './config.js';
import { infoRow, ratioRow, ratioText, type Figure, type FigureRow } from './report.js';
import { fmt, round } from './stats.js';

/** The figures that put two scenarios side by side: cost per job, end to end, and the peer's Redis commands. */
export function crossFigures(results: Partial<Record<ScenarioName, ScenarioResult>>): Figure[] {
  const e2e = results.e2e?.data as EndToEndData | undefined;
  const bull = results.bullmq?.data as BullmqData | undefined;
  const store = results.store?.data as StoreRoundTripsData | undefined;
  const figures: Figure[] = [];
  if (e2e) figures.push(costFigure(e2e, bull), endToEndFigure(e2e, bull));
  if (bull) figures.push(peerFigure(bull, store));
  return figures;
}

const BULL = '(BullMQ worker)';

function costFigure(e2e: EndToEndData, bull: BullmqData | undefined): Figure {
  const { clean, failing } = e2e;
  const rows: FigureRow[] = [];
  if (bull) {
    rows.push(ratioRow(`app CPU per job, ${e2e.jobs.toLocaleString('en-US')} jobs`, round(clean.appCpuMsPerJob, 4), round(bull.workerCpuMsPerJob, 4), { max: 1 }, { unit: 'ms', baselineLabel: BULL }));
  } else {
    rows.push(infoRow(`app CPU per job, ${e2e.jobs.toLocaleString('en-US')} jobs`, round(clean.appCpuMsPerJob, 4), { unit: 'ms', target: '≤ 1× BullMQ (not run: add bullmq to --only)' }));
  }
  rows.push(infoRow('app CPU per job, 10 % transient failures', round(failing.appCpuMsPerJob, 4), { unit: 'ms', ...(bull ? { baseline: round(bull.workerCpuMsPerJob, 4), baselineLabel: BULL, ratio: ratioText(failing.appCpuMsPerJob, bull.workerCpuMsPerJob) } : {}) }));
  rows.push(infoRow('producer CPU per job (addBulk)', round(clean.producerCpuMsPerJob, 4), { unit: 'ms', ...(bull ? { baseline: round(bull.producerCpuMsPerJob, 4), baselineLabel: '(BullMQ Queue.addBulk)', ratio: ratioText(clean.producerCpuMsPerJob, bull.producerCpuMsPerJob) } : {}) }));
  if (bull) {
    const ours = clean.appCpuMsPerJob + clean.producerCpuMsPerJob;
    const theirs = bull.workerCpuMsPerJob + bull.producerCpuMsPerJob;
    rows.push(infoRow('producer + consumer CPU per job', round(ours, 4), { unit: 'ms', baseline: round(theirs, 4), baselineLabel: '(BullMQ)', ratio: ratioText(ours, theirs) }));
  }
  return {
    id: 'cost-per-job',
    title: 'Cost per job: app CPU per completed job vs a @nestjs/bullmq worker (the moonshot)',
    design: 'app-side CPU ms per completed job (process CPU time / jobs) ≤ a @nestjs/bullmq worker\'s CPU per job on the same 10,000-job workload over the local Redis.',
    rows,
    notes: [
      'CPU = process.cpuUsage() (user + system) of the handling process alone, read over IPC before and after the run: the emulator, the producer and the load generator run in other processes.',
      'Our side per job: HTTP request parsing, RS256 token verification, queue/envelope checks, class-validator on the payload, idempotency claim + complete (memory store), JSON response. BullMQ\'s: its Lua-scripted fetch/complete over one TCP connection, no authentication or payload validation.',
    ],
    raw: { clean: clean.appCpuMsPerJob, failing: failing.appCpuMsPerJob, bullmq: bull?.workerCpuMsPerJob },
  };
}

function endToEndFigure(e2e: EndToEndData, bull: BullmqData | undefined): Figure {
  const { clean, failing } = e2e;
  const rows: FigureRow[] = [
    infoRow('jobs/s, enqueue → dispatch → handle', round(clean.jobsPerSecond, 0), { unit: 'jobs/s', ...(bull ? { baseline: round(bull.jobsPerSecond, 0), baselineLabel: '(BullMQ)', ratio: ratioText(clean.jobsPerSecond, bull.jobsPerSecond) } : {}) }),
    infoRow('jobs/s with 10 % transient failures', round(failing.jobsPerSecond, 0), { unit: 'jobs/s' }),
    ...correctnessRows(clean, e2e.maxAttemptsPolicy),
    ...correctnessRows(failing, e2e.maxAttemptsPolicy),
  ];
  if (bull) rows.push(infoRow('BullMQ lost / run twice', `${bull.lost} / ${bull.ranTwice}`));
  return {
    id: 'end-to-end',
    title: `End to end: ${e2e.jobs.toLocaleString('en-US')} jobs through the emulator, beside BullMQ`,
    design: '10,000 jobs enqueue → dispatch → handle through the emulator: jobs/s printed beside BullMQ\'s, 0 lost, 0 run twice; with 10 % injected transient failures, all complete within their retry policy.',
    rows,
    notes: [
      summaryNote(clean),
      summaryNote(failing),
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
