import { Inject, type Type } from '@nestjs/common';
import { JobHandler, PermanentError, RetryableError, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { planAttempt, type ProcessorBehaviour } from './attempt-plan.js';
import type { ChaosPayload } from './chaos-app.config.js';
import { ChaosWorkload, work } from './chaos.workload.js';

/** A `@JobHandler(jobName)` class whose attempts follow `behaviour` and whose success is one counted effect. */
export function chaosProcessor(jobName: string, behaviour: ProcessorBehaviour): Type<JobProcessor<ChaosPayload>> {
  class ChaosProcessor implements JobProcessor<ChaosPayload> {
    constructor(@Inject(ChaosWorkload) private readonly workload: ChaosWorkload) {}

    async process(data: ChaosPayload, job: JobContext): Promise<{ seq: number; instance: string }> {
      const { workload } = this;
      const plan = planAttempt(behaviour, data.seq, job.attempt, workload.config.seed);
      workload.running++;
      try {
        await workload.start(data.seq);
        await work(plan.workMs, plan.honourSignal ? job.signal : undefined);
        if (plan.outcome === 'retryable') throw new RetryableError(`chaos: attempt ${job.attempt} of job ${data.seq} fails by design`);
        if (plan.outcome === 'permanent') throw new PermanentError(`chaos: attempt ${job.attempt} of job ${data.seq} fails permanently by design`);
        await workload.effect(data.seq);
        return { seq: data.seq, instance: workload.config.instance };
      } finally {
        workload.running--;
      }
    }
  }
  Object.defineProperty(ChaosProcessor, 'name', { value: `ChaosProcessor_${jobName.replace(/\W/g, '_')}` });
  JobHandler(jobName)(ChaosProcessor);
  return ChaosProcessor;
}
