import { QUEUE_CONFIGS } from '../../../src/config/queue.config.js';
import type { Scenario } from './scenario.js';
import { fiveAttemptQueue, oneJob, sized, withStack } from './scenario.js';
import { waitFor } from '../lib/wait.js';

const JOB = 'chaos-kill';
const MIN_IN_FLIGHT_AT_KILL = 5;

/** `kill -9` of one of two instances, again and again, under a 5-attempt queue (1–5 s backoff). */
export const killRepeatedly: Scenario = {
  name: 'kill-9',
  summary: 'kill -9 of one of two instances, repeatedly (restarted each time), 5-attempt queue with 1–5 s backoff',
  run: (ctx, short) => {
    // NOTE: the dispatch rate spreads the jobs over the kills (about 3.5 s per kill and restart on this machine).
    const { jobs: count, kills, rate } = sized(short, { jobs: 3_000, kills: 12, rate: 100 }, { jobs: 450, kills: 3, rate: 50 });
    const spec = oneJob(JOB, fiveAttemptQueue('chaos-kill-queue', rate, 100), { workMs: [50, 400], failFirst: { every: 10, attempts: 1 } }, { record: true });
    return withStack('kill-9', spec, ctx, async (stack) => {
      const jobs = stack.jobs(count);
      const startedAt = Date.now();
      await stack.enqueue(jobs);
      const dropped: number[] = [];
      for (let k = 1; k <= kills; k++) {
        const threshold = Math.floor((k * count) / (kills + 1));
        await waitFor(async () => (await stack.startedJobs()) >= threshold, `${threshold} jobs started`, { timeoutMs: 120_000 });
        // NOTE: a restarted instance is killed only once it holds deliveries again, so every kill drops some.
        await waitFor(() => stack.lb.inFlight('a') >= MIN_IN_FLIGHT_AT_KILL, `instance a to hold ${MIN_IN_FLIGHT_AT_KILL} deliveries`, { timeoutMs: 60_000, intervalMs: 20 });
        dropped.push(await stack.crashApp('a'));
        await stack.restartApp('a');
      }
      await stack.settle(240_000);
      const probe = await stack.probe(jobs, 60_000);
      return stack.observe(
        [
          {
            label: `${kills} × kill -9 of 1 of 2 instances, 5 attempts`,
            jobs,
            runTwice: 'reported',
            unprotected: probe.unprotected,
            notes: [`deliveries dropped by the kills: ${dropped.join(', ')}`, ...probe.notes],
          },
        ],
        startedAt,
      );
    });
  },
};

/** One `kill -9` with the example service's own queue configs (src/config/queue.config.ts), on a compressed clock. */
export const killWithRealQueues: Scenario = {
  name: 'kill-real-queues',
  summary: "one kill -9 of one of two instances with the example's 11 real queue configs, emulator clock ×30",
  run: (ctx, short) => {
    const perJob = sized(short, 100, 30);
    const names = Object.keys(QUEUE_CONFIGS);
    const spec = {
      queues: QUEUE_CONFIGS,
      behaviours: Object.fromEntries(names.map((name) => [name, { workMs: [500, 3_000] as [number, number] }])),
      instances: ['a', 'b'],
      timeScale: 30,
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
        [{ label: 'one kill -9, the 11 example queues, clock ×30', jobs, runTwice: 'reported', unprotected: probe.unprotected, notes: [`deliveries dropped by the kill: ${dropped}`, ...probe.notes] }],
        startedAt,
      );
    });
  },
};
