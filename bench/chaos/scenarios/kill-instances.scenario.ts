import { QUEUE_CONFIGS } from '../../../src/config/queue.config.js';
import type { Scenario } from './scenario.js';
import { fiveAttemptQueue, oneJob, sized, withStack } from './scenario.js';
import { waitFor } from '../lib/wait.js';

const JOB = 'chaos-kill';
const MIN_IN_FLIGHT_AT_KILL = 3;

/** `kill -9` of one of two instances, again and again, under a 5-attempt queue (1–5 s backoff). */
export const killRepeatedly: Scenario = {
  name: 'kill-9',
  summary: 'kill -9 of one of two instances, repeatedly (restarted each time), 5-attempt queue with 1–5 s backoff',
  run: (ctx, short) => {
    // NOTE: the dispatch rate spreads the jobs over the kills (a kill and restart take 2–4 s on this machine).
    const { jobs: count, kills, rate } = sized(short, { jobs: 5_000, kills: 12, rate: 80 }, { jobs: 450, kills: 3, rate: 40 });
    const spec = oneJob(JOB, fiveAttemptQueue('chaos-kill-queue', rate, 100), { workMs: [200, 1_000], failFirst: { every: 10, attempts: 1 } }, { record: true });
    return withStack('kill-9', spec, ctx, async (stack) => {
      const jobs = stack.jobs(count);
      const startedAt = Date.now();
      await stack.enqueue(jobs);
      const dropped: number[] = [];
      for (let k = 1; k <= kills; k++) {
        const threshold = Math.floor((k * count) / (kills + 1));
        await waitFor(async () => (await stack.startedJobs()) >= threshold, `${threshold} jobs started`, { timeoutMs: 120_000 });
        // NOTE: a restarted instance is killed only once it holds deliveries again, so every kill drops some;
        // when the traffic has ended before (a slow machine), the remaining kills are skipped and the row says so.
        const holding = await waitFor(() => stack.lb.inFlight('a') >= MIN_IN_FLIGHT_AT_KILL, 'deliveries on a', { timeoutMs: 15_000, intervalMs: 20 }).then(
          () => true,
          () => false,
        );
        if (!holding) break;
        dropped.push(await stack.crashApp('a'));
        await stack.restartApp('a');
      }
      await stack.settle(240_000);
      const probe = await stack.probe(jobs, 60_000);
      return stack.observe(
        [
          {
            label: `${dropped.length} × kill -9 of 1 of 2 instances, 5 attempts`,
            jobs,
            runTwice: 'reported',
            unprotected: probe.unprotected,
            notes: [`deliveries dropped by the kills: ${dropped.join(', ')}${dropped.length < kills ? ` (${kills - dropped.length} kills skipped: no traffic left)` : ''}`, ...probe.notes],
          },
        ],
        startedAt,
      );
    });
  },
};

/** One `kill -9` with the example service's own queue configs (src/config/queue.config.ts), on a compressed clock (×10). */
export const killWithRealQueues: Scenario = {
  name: 'kill-real-queues',
  summary: "one kill -9 of one of two instances with the example's 11 real queue configs, emulator clock ×10",
  run: (ctx, short) => {
    const perJob = sized(short, 100, 30);
    const names = Object.keys(QUEUE_CONFIGS);
    const spec = {
      queues: QUEUE_CONFIGS,
      behaviours: Object.fromEntries(names.map((name) => [name, { workMs: [500, 3_000] as [number, number] }])),
      instances: ['a', 'b'],
      // NOTE: ×10 makes 30 s of backoff 3 real seconds; steeper scales shrink the claim lease (on the emulator's
      // clock) below what a loaded 2-core machine renews in time, and the run would measure the machine.
      timeScale: 10,
      record: true,
    };
    return withStack('kill-real-queues', spec, ctx, async (stack) => {
      const jobs = stack.jobs(perJob * names.length, (seq) => names[seq % names.length]);
      const startedAt = Date.now();
      await stack.enqueue(jobs);
      await waitFor(async () => (await stack.startedJobs()) >= jobs.length / 2, 'half the jobs started', { timeoutMs: 120_000 });
      const dropped = await stack.crashApp('a');
      await stack.restartApp('a');
      await stack.settle(240_000);
      const probe = await stack.probe(jobs, 60_000);
      return stack.observe(
        [{ label: 'one kill -9, the 11 example queues, clock ×10', jobs, runTwice: 'reported', unprotected: probe.unprotected, notes: [`deliveries dropped by the kill: ${dropped}`, ...probe.notes] }],
        startedAt,
      );
    });
  },
};
