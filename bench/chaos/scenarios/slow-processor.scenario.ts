import type { ProcessorBehaviour } from '../app/attempt-plan.js';
import type { Scenario } from './scenario.js';
import { fiveAttemptQueue, sized, withStack } from './scenario.js';

const HONOUR = 'chaos-slow-honour';
const IGNORE = 'chaos-slow-ignore';
/** The shortest dispatch deadline Cloud Tasks allows. */
const DEADLINE_S = 15;
/**
 * The emulator's clock runs 3× faster: the deadline is 5 real seconds and the backoffs 0.3–1.7 s, which leaves a
 * quick attempt seconds to answer even on a loaded machine.
 */
const TIME_SCALE = 3;

function slow(honourSignal: boolean): ProcessorBehaviour {
  return { workMs: [20, 100], slow: { attempts: 1, ms: (2 * DEADLINE_S * 1000) / TIME_SCALE, honourSignal, then: 'alternate' } };
}

/**
 * Each job's first attempt works twice its dispatch deadline as the emulator's clock counts it. Honouring
 * `job.signal`, it stops when the deadline passes; ignoring it, it finishes late, half the jobs with their effect and
 * half with a retryable error. Later attempts are quick. (In local mode the deadline, and so the signal and the
 * claim, follow the emulator's clock.)
 */
export const slowProcessor: Scenario = {
  name: 'slow',
  summary: `first attempt twice as slow as its ${DEADLINE_S} s dispatch deadline (emulator clock ×${TIME_SCALE}), honouring job.signal or not (one row each)`,
  run: (ctx, short) => {
    const perGroup = sized(short, 300, 100);
    const spec = {
      queues: {
        [HONOUR]: fiveAttemptQueue('chaos-slow-honour-queue', 500, 1_000, DEADLINE_S),
        [IGNORE]: fiveAttemptQueue('chaos-slow-ignore-queue', 500, 1_000, DEADLINE_S),
      },
      behaviours: { [HONOUR]: slow(true), [IGNORE]: slow(false) },
      instances: ['a'],
      timeScale: TIME_SCALE,
    };
    return withStack('slow', spec, ctx, async (stack) => {
      const honour = stack.jobs(perGroup, () => HONOUR);
      const ignore = stack.jobs(perGroup, () => IGNORE, perGroup);
      const startedAt = Date.now();
      await stack.enqueue([...honour, ...ignore]);
      await stack.settle(120_000);
      return stack.observe(
        [
          { id: 'honour', label: 'slow first attempt, honours job.signal', jobs: honour, runTwice: 'target' },
          { id: 'ignore', label: 'slow first attempt, ignores job.signal', jobs: ignore, runTwice: 'target' },
        ],
        startedAt,
      );
    });
  },
};
