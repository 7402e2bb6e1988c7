import { countBy, formatCounts } from '../lib/chaos-stack.js';
import { seededRandom } from '../lib/random.js';
import { sleep, waitFor } from '../lib/wait.js';
import type { Scenario } from './scenario.js';
import { fiveAttemptQueue, oneJob, sized, withStack } from './scenario.js';

const JOB = 'chaos-store';
/** How long the store stays unreachable (upstash-local is killed and restarted within it). */
const OUTAGE_MS = 2_000;
/** Deliveries that overlapped the outage are sent again this long after the store is back. */
const REPLAY_DELAY_MS: [number, number] = [1_000, 8_000];

/** 2 % of store replies lost after Redis applied the command. */
export const storeDrops: Scenario = {
  name: 'store-drops',
  summary: '2 % of store replies dropped after Redis applied them (the client sees a network error and retries)',
  run: (ctx, short) => {
    const count = sized(short, 3_000, 800);
    const spec = oneJob(JOB, fiveAttemptQueue('chaos-store-queue', 300, 50), { workMs: [10, 50] }, { dropReplies: 0.02, record: true });
    return withStack('store-drops', spec, ctx, async (stack) => {
      const jobs = stack.jobs(count);
      const startedAt = Date.now();
      await stack.enqueue(jobs);
      await stack.settle(240_000);
      const proxy = stack.storeProxy.stats();
      stack.storeProxy.setDropReplies(0);
      const probe = await stack.probe(jobs, 60_000);
      return stack.observe(
        [{ label: '2 % of store replies dropped', jobs, runTwice: 'target', unprotected: probe.unprotected, notes: [`store requests ${proxy.forwarded}, replies dropped ${proxy.repliesDropped}`, ...probe.notes] }],
        startedAt,
      );
    });
  },
};

/** upstash-local killed and restarted mid-run; deliveries made during the outage are replayed after it. */
function storeRestart(failMode: 'open' | 'closed'): Scenario {
  const name = `store-restart-${failMode}`;
  return {
    name,
    summary: `upstash-local kill -9 + restart (${OUTAGE_MS / 1000} s outage), failMode ${failMode}; outage deliveries replayed 1–8 s after recovery`,
    run: (ctx, short) => {
      const count = sized(short, 3_000, 600);
      const spec = oneJob(JOB, fiveAttemptQueue('chaos-store-queue', 200, 50), { workMs: [20, 200] }, { failMode, record: true });
      return withStack(name, spec, ctx, async (stack) => {
        const jobs = stack.jobs(count);
        const startedAt = Date.now();
        await stack.enqueue(jobs);
        await waitFor(async () => (await stack.startedJobs()) >= count / 3, 'a third of the jobs started', { timeoutMs: 120_000 });
        const outageStart = Date.now();
        stack.storeProxy.blackout(true);
        await stack.store.crash();
        const url = await stack.store.start();
        await sleep(Math.max(0, outageStart + OUTAGE_MS - Date.now()));
        stack.storeProxy.setUpstream(url);
        stack.storeProxy.blackout(false);
        const recoveredAt = Date.now();
        const random = seededRandom(ctx.seed + 1);
        // NOTE: deliveries in flight when the store went away count too: their claim or completion met the outage.
        const duringOutage = stack.lb.deliveries().filter((d) => !d.replay && d.key && d.startedAt <= recoveredAt && (d.endedAt ?? Infinity) >= outageStart);
        const keys = [...new Set(duringOutage.map((d) => d.key!))];
        const replays = keys.map((key) => {
          const delay = REPLAY_DELAY_MS[0] + random() * (REPLAY_DELAY_MS[1] - REPLAY_DELAY_MS[0]);
          return stack.lb.replay(stack.lb.lastRequest(key)!, delay);
        });
        const answers = countBy((await Promise.all(replays)).map(String));
        await stack.settle(240_000);
        const probe = await stack.probe(jobs, 60_000);
        const proxy = stack.storeProxy.stats();
        return stack.observe(
          [
            {
              label: `store killed + restarted, failMode ${failMode}, replays`,
              jobs,
              runTwice: 'target',
              unprotected: probe.unprotected,
              notes: [
                `outage ${recoveredAt - outageStart} ms; deliveries overlapping it ${duringOutage.length}; store requests refused ${proxy.blackedOut}, unanswered ${proxy.upstreamErrors}`,
                `replayed ${keys.length} keys 1–8 s after recovery, answers: ${formatCounts(answers) || 'none'}`,
                ...probe.notes,
              ],
            },
          ],
          startedAt,
        );
      });
    },
  };
}

export const storeRestartOpen = storeRestart('open');
export const storeRestartClosed = storeRestart('closed');
