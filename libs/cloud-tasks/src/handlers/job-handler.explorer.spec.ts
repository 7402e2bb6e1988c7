import 'reflect-metadata';
import { Module } from '@nestjs/common';
import {
  DUPLICATE_JOB_HANDLER,
  HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE,
  HANDLER_WITHOUT_PROCESS,
  HANDLER_WITHOUT_QUEUE,
  QUEUE_WITHOUT_HANDLER,
} from '../cloud-tasks.messages.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { JobProcessor } from '../interfaces/job.interface.js';
import { compileTestModule, createTestApp, envelope, queueConfig, RecordingLogger, type TestAppSetup } from '../testing/index.js';
import { JobHandler } from './job-handler.decorator.js';
import { JobHandlerRegistry } from './job-handler.registry.js';

@JobHandler('ping')
class PingProcessor implements JobProcessor {
  process() {
    return 'pong';
  }
}

@JobHandler('ping')
class OtherPingProcessor implements JobProcessor {
  process() {
    return 'other';
  }
}

@JobHandler('orphan')
class OrphanProcessor implements JobProcessor {
  process() {
    return 'orphan';
  }
}

@JobHandler('ping')
class NoProcess {
  run() {
    return 'forgot to implement process()';
  }
}

@JobHandler('ping', { maxAttempts: 5 })
class GreedyProcessor implements JobProcessor {
  process() {
    return 'greedy';
  }
}

@JobHandler('forever', { maxAttempts: 50 })
class CappedProcessor implements JobProcessor {
  process() {
    return 'capped';
  }
}

@Module({ providers: [PingProcessor] })
class FeatureModule {}

/** Compiles and initialises an app; resolves with the init error (or undefined when it booted). */
async function bootError(setup: TestAppSetup): Promise<Error | undefined> {
  const { moduleRef } = await compileTestModule(setup);
  const app = moduleRef.createNestApplication();
  try {
    await app.init();
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await app.close().catch(() => undefined);
  }
}

describe('JobHandlerExplorer (boot-time discovery)', () => {
  it('refuses two handlers for one job name, naming both classes', async () => {
    const error = await bootError({ providers: [PingProcessor, OtherPingProcessor] });
    expect(error).toBeInstanceOf(CloudTasksConfigError);
    expect(error?.message).toBe(DUPLICATE_JOB_HANDLER('ping', 'PingProcessor', 'OtherPingProcessor'));
  });

  it('refuses a handler whose job has no queue config', async () => {
    const error = await bootError({ providers: [PingProcessor, OrphanProcessor] });
    expect(error).toBeInstanceOf(CloudTasksConfigError);
    expect(error?.message).toBe(HANDLER_WITHOUT_QUEUE('orphan', 'OrphanProcessor'));
  });

  it('refuses a decorated class without process()', async () => {
    const error = await bootError({ providers: [NoProcess] });
    expect(error).toBeInstanceOf(CloudTasksConfigError);
    expect(error?.message).toBe(HANDLER_WITHOUT_PROCESS('ping', 'NoProcess'));
  });

  it("refuses a per-job maxAttempts above the queue's", async () => {
    const error = await bootError({ providers: [GreedyProcessor] });
    expect(error).toBeInstanceOf(CloudTasksConfigError);
    expect(error?.message).toBe(HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE('ping', 'GreedyProcessor', 5, 3));
  });

  it('accepts any per-job maxAttempts on an unlimited queue', async () => {
    const error = await bootError({ options: { queues: { forever: queueConfig('forever-queue', { maxAttempts: -1 }) } }, providers: [CappedProcessor] });
    expect(error).toBeUndefined();
  });

  it('warns about a queue without a handler, but boots (its tasks answer 404)', async () => {
    const logger = new RecordingLogger();
    const t = await createTestApp({ options: { queues: { ping: queueConfig('ping-queue'), report: queueConfig('report-queue') } }, providers: [PingProcessor], logger });
    try {
      expect(logger.messages('warn')).toContain(QUEUE_WITHOUT_HANDLER('report', 'report-queue'));
      expect(logger.messages('warn')).not.toContain(QUEUE_WITHOUT_HANDLER('ping', 'ping-queue'));
      expect((await t.deliver('ping', envelope('ping', {}))).status).toBe(200);
      expect((await t.deliver('report', envelope('report', {}))).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('registers handlers from any module of the app', async () => {
    const t = await createTestApp({ imports: [FeatureModule] });
    try {
      const registered = t.app.get(JobHandlerRegistry).get('ping');
      expect(registered).toMatchObject({ jobName: 'ping', className: 'PingProcessor', queue: { name: 'ping-queue' } });
      const res = await t.deliver('ping', envelope('ping', {}));
      expect(res.body).toEqual({ success: true, result: 'pong' });
    } finally {
      await t.close();
    }
  });
});
