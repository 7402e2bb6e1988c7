import type { Scenario } from './scenario.js';
import { fiveAttemptQueue, oneJob, sized, withStack } from './scenario.js';
import { waitFor } from '../lib/wait.js';

const JOB = 'chaos-emulator';

/**
 * The emulator is killed under running apps and restarted on the same ports (its tasks are gone, like a Cloud Tasks
 * outage that loses queued work, and it signs with whatever key it starts with); the jobs not yet completed are
 * added again with their keys.
 */
export const emulatorRestart: Scenario = {
  name: 'emulator-restart',
  summary: 'the emulator kill -9 + restart under two running apps; jobs not completed yet are re-added with their keys',
  run: (ctx, short) => {
    const count = sized(short, 3_000, 600);
    const spec = oneJob(JOB, fiveAttemptQueue('chaos-emulator-queue', 150, 50), { workMs: [50, 300] });
    return withStack('emulator-restart', spec, ctx, async (stack) => {
      const jobs = stack.jobs(count);
      const startedAt = Date.now();
      await stack.enqueue(jobs);
      await waitFor(async () => (await stack.startedJobs()) >= count / 3, 'a third of the jobs started', { timeoutMs: 120_000 });
      await stack.emulator.crash();
      await stack.appsIdle(60_000);
      await stack.emulator.restart();
      const { effects } = await ctx.redis.effects(stack.prefix);
      const open = jobs.filter((job) => !effects.has(job.seq));
      const readd = await stack.enqueue(open, { giveUpAfterMs: 60_000 });
      await stack.settle(240_000);
      return stack.observe(
        [
          {
            label: 'emulator restarted, open jobs re-added',
            jobs,
            runTwice: 'target',
            notes: [`re-added ${open.length} jobs after the restart (${readd.rounds} addBulk round(s), ${readd.retried} items retried)`],
          },
        ],
        startedAt,
      );
    });
  },
};
