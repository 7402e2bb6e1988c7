import 'reflect-metadata';
import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import {
  DUPLICATE_JOB_HANDLER,
  HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE,
  HANDLER_MAX_ATTEMPTS_INVALID,
  HANDLER_WITHOUT_PROCESS,
  HANDLER_WITHOUT_QUEUE,
  QUEUE_WITHOUT_HANDLER,
} from '../cloud-tasks.messages.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { JobProcessor } from '../interfaces/job.interface.js';
import { compileTestModule, createTestApp, envelope, HTTP_ADAPTERS, queueConfig, RecordingLogger, type TestAppSetup } from '../testing/index.js';
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

/** A handler built by a factory (its own class is only known from the instance). */
@JobHandler('ping')
class FactoryBuiltProcessor implements JobProcessor {
  constructor(readonly greeting: string) {}
  process() {
    return `${this.greeting} from a factory`;
  }
}

/** A handler given as a ready instance. */
@JobHandler('ping')
class ValueProcessor implements JobProcessor {
  process() {
    return 'from a value';
  }
}

let built = 0;

/** A request-scoped handler: a new instance per delivery, with the delivery's HTTP request as REQUEST. */
@JobHandler('ping')
@Injectable({ scope: Scope.REQUEST })
class RequestScopedProcessor implements JobProcessor {
  readonly instance = ++built;
  constructor(@Inject(REQUEST) private readonly request: { headers: Record<string, string | undefined> }) {}
  process() {
    return { instance: this.instance, task: this.request.headers['x-cloudtasks-taskname'] };
  }
}

/** A request-scoped dependency makes its (singleton-declared) consumer request-scoped too. */
@Injectable({ scope: Scope.REQUEST })
class PerRequestAudit {
  constructor(@Inject(REQUEST) readonly request: { headers: Record<string, string | undefined> }) {}
}

/** Request-scoped through the decorator's option, with no request-scoped dependency. */
@JobHandler('ping', { scope: Scope.REQUEST })
class ScopedByOption implements JobProcessor {
  readonly instance = ++built;
  process() {
    return { instance: this.instance };
  }
}

@JobHandler('ping')
class WithPerRequestDependency implements JobProcessor {
  constructor(private readonly audit: PerRequestAudit) {}
  process() {
    return { task: this.audit.request.headers['x-cloudtasks-taskname'] };
  }
}

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

  it('refuses a per-job maxAttempts that is not a whole number of attempts (the rule add() applies)', async () => {
    @JobHandler('ping', { maxAttempts: 0 })
    class ZeroProcessor {
      process() {}
    }
    const error = await bootError({ providers: [ZeroProcessor] });
    expect(error).toBeInstanceOf(CloudTasksConfigError);
    expect(error?.message).toBe(HANDLER_MAX_ATTEMPTS_INVALID('ping', 'ZeroProcessor', 'must be a whole number ≥ 1'));
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

  describe.each(HTTP_ADAPTERS)('on %s: handlers are found by the class of their instance', (adapter) => {
    it('a useFactory provider receives its jobs', async () => {
      const t = await createTestApp({ adapter, providers: [{ provide: 'PING_HANDLER', useFactory: () => new FactoryBuiltProcessor('hello') }] });
      try {
        expect(t.app.get(JobHandlerRegistry).get('ping')).toMatchObject({ className: 'FactoryBuiltProcessor' });
        expect((await t.deliver('ping', envelope('ping', {}))).body).toEqual({ success: true, result: 'hello from a factory' });
      } finally {
        await t.close();
      }
    });

    it('a useValue provider receives its jobs', async () => {
      const t = await createTestApp({ adapter, providers: [{ provide: 'PING_HANDLER', useValue: new ValueProcessor() }] });
      try {
        expect((await t.deliver('ping', envelope('ping', {}))).body).toEqual({ success: true, result: 'from a value' });
      } finally {
        await t.close();
      }
    });

    it('a request-scoped handler works: an instance per delivery, the delivery request as REQUEST', async () => {
      const t = await createTestApp({ adapter, providers: [RequestScopedProcessor] });
      try {
        const first = await t.deliver('ping', envelope('ping', {}), { 'X-CloudTasks-TaskName': 'task-a' });
        const second = await t.deliver('ping', envelope('ping', {}), { 'X-CloudTasks-TaskName': 'task-b' });
        expect(first.body.result).toMatchObject({ task: 'task-a' });
        expect(second.body.result).toMatchObject({ task: 'task-b' });
        expect((second.body.result as { instance: number }).instance).toBeGreaterThan((first.body.result as { instance: number }).instance);
      } finally {
        await t.close();
      }
    });

    it("@JobHandler(name, { scope: Scope.REQUEST }) builds an instance per delivery", async () => {
      const t = await createTestApp({ adapter, providers: [ScopedByOption] });
      try {
        const first = await t.deliver('ping', envelope('ping', {}));
        const second = await t.deliver('ping', envelope('ping', {}));
        expect((second.body.result as { instance: number }).instance).toBe((first.body.result as { instance: number }).instance + 1);
      } finally {
        await t.close();
      }
    });

    it('a handler with a request-scoped dependency works (no failure at delivery time)', async () => {
      const t = await createTestApp({ adapter, providers: [WithPerRequestDependency, PerRequestAudit] });
      try {
        const res = await t.deliver('ping', envelope('ping', {}), { 'X-CloudTasks-TaskName': 'task-c' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ success: true, result: { task: 'task-c' } });
      } finally {
        await t.close();
      }
    });

    it('a request-scoped class without process() still fails at boot', async () => {
      @JobHandler('ping')
      @Injectable({ scope: Scope.REQUEST })
      class ScopedWithoutProcess {}
      const error = await bootError({ providers: [ScopedWithoutProcess] });
      expect(error?.message).toBe(HANDLER_WITHOUT_PROCESS('ping', 'ScopedWithoutProcess'));
    });
  });
});
