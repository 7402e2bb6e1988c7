import type { Scenario } from './scenario.js';
import { sized, withStack } from './scenario.js';
import { WaitTimeoutError, waitFor } from '../lib/wait.js';

const JOB = 'chaos-stale';
const DEADLINE_S = 15;
/** The emulator's clock runs 5× faster: the frozen instance's deliveries time out after 3 real seconds. */
const TIME_SCALE = 5;

/**
 * A delivery that outlives its lease: instance a takes every job's first attempt (which works 10 s and then
 * fails permanently) and is frozen (SIGSTOP) while they run; Cloud Tasks' retries go to b, which completes the jobs;
 * then a resumes and its stale attempts finish. They must not overwrite b's records or dead-letter completed jobs.
 */
export const staleLease: Scenario = {
  name: 'stale-lease',
  summary: 'a delivery outliving its lease: instance frozen (SIGSTOP) mid-job, retries complete on the other, then it resumes and fails permanently (clock ×5)',
  run: (ctx, short) => {
    const count = sized(short, 200, 100);
        // NOTE: a frozen delivery's claim must lapse in seconds; b gets this long to run every job while a is frozen.
    const waitCapMs = sized(short, 60_000, 30_000);
    const spec = {
      queues: {
        [JOB]: {
          name: 'chaos-stale-queue',
          // NOTE: retries for minutes, so b completes the jobs however long the frozen claims take to lapse.
          retryConfig: { maxAttempts: 500, minBackoff: '1s', maxBackoff: '2s', maxDoublings: 1 },
          rateLimits: { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 1_000 },
          dispatchDeadline: DEADLINE_S,
        },
      },
      behaviours: { [JOB]: { workMs: [20, 100] as [number, number], slow: { attempts: 1, ms: 10_000, honourSignal: false, then: 'fail-permanently' as const } } },
      instances: ['a', 'b'],
      initialPool: ['a'],
      timeScale: TIME_SCALE,
    };
    return withStack('stale-lease', spec, ctx, async (stack) => {
      const jobs = stack.jobs(count);
      const startedAt = Date.now();
      await stack.enqueue(jobs);
      await waitFor(async () => (await stack.startedJobs()) >= count, `all ${count} first attempts running on a`, { timeoutMs: 60_000, intervalMs: 20 });
      stack.lb.remove('a');
      stack.app('a').pause();
      const frozenAt = Date.now();
      stack.lb.add('b', stack.app('b').url!);
      let completedBeforeResume: number;
      try {
        await waitFor(async () => (await stack.completedJobs()) >= count, 'b to complete every job', { timeoutMs: waitCapMs, intervalMs: 250 });
        completedBeforeResume = count;
      } catch (error) {
        if (!(error instanceof WaitTimeoutError)) throw error;
        completedBeforeResume = await stack.completedJobs();
      }
      const frozenMs = Date.now() - frozenAt;
      stack.app('a').resume();
      await stack.settle(180_000);
      const notes = [`a frozen ${Math.round(frozenMs / 100) / 10} s; jobs completed by b before a resumed: ${completedBeforeResume} of ${count}`];
      const misses =
        completedBeforeResume < count ? [`${count - completedBeforeResume} jobs could not run on b within ${waitCapMs / 1000} s while their first delivery was frozen (its claim must lapse in seconds)`] : [];
      return stack.observe([{ label: 'stale delivery outlives its lease, then fails', jobs, runTwice: 'target', notes, misses }], startedAt);
    });
  },
};
