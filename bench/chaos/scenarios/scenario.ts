import type { QueueConfig } from '@nest-cloud-tasks/core';
import type { ProcessorBehaviour } from '../app/attempt-plan.js';
import { ChaosStack, type RunContext, type ScenarioRow, type StackSpec } from '../lib/chaos-stack.js';

/** One fault scenario of the suite. */
export interface Scenario {
  /** `--only` name. */
  name: string;
  /** What it does, in one line (`--list`, the README). */
  summary: string;
  run(ctx: RunContext, short: boolean): Promise<ScenarioRow[]>;
}

/** Starts a stack, runs `body` against it and always stops it. */
export async function withStack(name: string, spec: StackSpec, ctx: RunContext, body: (stack: ChaosStack) => Promise<ScenarioRow[]>): Promise<ScenarioRow[]> {
  const stack = await ChaosStack.start(name, spec, ctx);
  try {
    return await body(stack);
  } finally {
    await stack.close();
  }
}

/** The 5-attempt queue: 1 s, 2 s, 4 s, 5 s between attempts (12 s of retries), at most `rate` dispatches/s. */
export function fiveAttemptQueue(name: string, rate: number, concurrency: number, dispatchDeadline?: number): QueueConfig {
  return {
    name,
    retryConfig: { maxAttempts: 5, minBackoff: '1s', maxBackoff: '5s', maxDoublings: 3 },
    rateLimits: { maxDispatchesPerSecond: rate, maxConcurrentDispatches: concurrency },
    ...(dispatchDeadline === undefined ? {} : { dispatchDeadline }),
  };
}

/** Sizes of a scenario in the full run and in `--short`. */
export function sized<T>(short: boolean, full: T, shortForm: T): T {
  return short ? shortForm : full;
}

/** A stack of one job type on two instances, on the real clock unless `extra` says otherwise. */
export function oneJob(jobName: string, queue: QueueConfig, behaviour: ProcessorBehaviour, extra: Partial<StackSpec> = {}): StackSpec {
  return { queues: { [jobName]: queue }, behaviours: { [jobName]: behaviour }, instances: ['a', 'b'], timeScale: 1, ...extra };
}
