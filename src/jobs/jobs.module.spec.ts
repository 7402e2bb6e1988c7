import { Test } from '@nestjs/testing';
import { JobHandler, type JobHandlerMetadata } from '@nest-cloud-tasks/core';
import { JOB_NAMES, QUEUE_CONFIGS } from '../config/queue.config.js';
import { JOB_PROCESSORS } from './index.js';
import { JobsModule } from './jobs.module.js';

describe('JobsModule', () => {
  const metadata = JOB_PROCESSORS.map((processor) => Reflect.getMetadata(JobHandler.KEY, processor) as JobHandlerMetadata | undefined);

  it('has exactly one processor, with a payload class, per job name', () => {
    expect(metadata.map((m) => m?.name).sort()).toEqual([...JOB_NAMES].sort());
    expect(metadata.every((m) => typeof m?.payload === 'function')).toBe(true);
  });

  it('has one queue per job, named after it', () => {
    expect(Object.keys(QUEUE_CONFIGS).sort()).toEqual([...JOB_NAMES].sort());
    for (const name of JOB_NAMES) expect(QUEUE_CONFIGS[name].name).toBe(`${name}-queue`);
  });

  it('resolves every processor from the domain', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [JobsModule] }).compile();
    for (const processor of JOB_PROCESSORS) expect(moduleRef.get(processor)).toBeInstanceOf(processor);
  });
});
