import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AUTH_NONE_OUTSIDE_LOCAL_MODE, INVALID_OPTIONS, MEMORY_IDEMPOTENCY_WARNING, MEMORY_STORES_OPTED_IN, MEMORY_STORES_OUTSIDE_LOCAL_MODE } from './cloud-tasks.messages.js';
import { CloudTasksModule } from './cloud-tasks.module.js';
import { CLOUD_TASKS_CLIENT, RESOLVED_OPTIONS } from './cloud-tasks.tokens.js';
import { CloudTasksConfigError } from './errors/cloud-tasks-config.error.js';
import { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
import type { DeadLetterListOptions, DeadLetterRecord } from './dead-letter/dead-letter-store.interface.js';
import { MemoryDeadLetterStore } from './dead-letter/memory-dead-letter.store.js';
import { IdempotencyStore } from './idempotency/idempotency-store.interface.js';
import type { DoneRecord } from './idempotency/idempotency-store.interface.js';
import { MemoryIdempotencyStore } from './idempotency/memory-idempotency.store.js';
import type { CloudTasksModuleOptions, CloudTasksOptionsFactory } from './interfaces/module-options.interface.js';
import type { ResolvedCloudTasksOptions } from './options/resolved-options.js';
import { JobQueueService } from './queue/job-queue.service.js';
import { compileTestModule, createTestApp, FakeCloudTasksClient, RecordingLogger, TEST_LOCAL_MODE, testOptions } from './testing/index.js';
import { CLOUD_TASKS_LOCAL_MODE } from './options/local-mode.js';

/** Stands in for ConfigService: the options come from "the environment". */
@Injectable()
class FakeConfig {
  readonly values: Record<string, string> = { GCP_PROJECT_ID: 'async-project', GCP_REGION: 'europe-west1', CLOUD_RUN_URL: 'https://async.example.test/' };
  getOrThrow(key: string): string {
    const value = this.values[key];
    if (value === undefined) throw new Error(`missing ${key}`);
    return value;
  }
}

@Module({ providers: [FakeConfig], exports: [FakeConfig] })
class FakeConfigModule {}

@Injectable()
class OptionsFactory implements CloudTasksOptionsFactory {
  constructor(private readonly config: FakeConfig) {}
  create(): CloudTasksModuleOptions {
    return testOptions({ projectId: this.config.getOrThrow('GCP_PROJECT_ID'), location: this.config.getOrThrow('GCP_REGION'), serviceUrl: this.config.getOrThrow('CLOUD_RUN_URL') });
  }
}

@Module({ imports: [FakeConfigModule], providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsFactoryModule {}

async function compileAsync(moduleDef: ReturnType<typeof CloudTasksModule.forRootAsync>, client = new FakeCloudTasksClient()) {
  const moduleRef = await Test.createTestingModule({ imports: [moduleDef] })
    .overrideProvider(CLOUD_TASKS_CLIENT)
    .useValue(client)
    .overrideProvider(CLOUD_TASKS_LOCAL_MODE)
    .useValue(TEST_LOCAL_MODE)
    .setLogger(new RecordingLogger())
    .compile();
  return { moduleRef, client };
}

/** Enqueues one job and returns the task name the module built from its (async) options. */
async function taskNameVia(moduleRef: Awaited<ReturnType<typeof compileAsync>>['moduleRef']): Promise<string> {
  const job = await moduleRef.get(JobQueueService).add('ping', { n: 1 }, { idempotencyKey: 'k' });
  return job.taskName;
}

/** A store of the app's own (here backed by memory): the module takes it as configured, in any mode. */
class OwnIdempotencyStore implements IdempotencyStore {
  private readonly inner = new MemoryIdempotencyStore();
  claim(key: string, owner: string, leaseMs: number) { return this.inner.claim(key, owner, leaseMs); }
  renew(key: string, owner: string, leaseMs: number) { return this.inner.renew(key, owner, leaseMs); }
  complete(key: string, owner: string, record: DoneRecord, ttlSeconds: number) { return this.inner.complete(key, owner, record, ttlSeconds); }
  release(key: string, owner: string) { return this.inner.release(key, owner); }
  markDeadLettered(key: string, id: string) { return this.inner.markDeadLettered(key, id); }
  get(key: string) { return this.inner.get(key); }
}

class OwnDeadLetterStore implements DeadLetterStore {
  private readonly inner = new MemoryDeadLetterStore();
  save(record: DeadLetterRecord) { return this.inner.save(record); }
  list(options: DeadLetterListOptions) { return this.inner.list(options); }
  get(id: string) { return this.inner.get(id); }
  update(record: DeadLetterRecord) { return this.inner.update(record); }
  delete(id: string) { return this.inner.delete(id); }
}

describe('CloudTasksModule', () => {
  describe('forRoot', () => {
    it('fails to compile with the exact message naming the bad option and its env var', async () => {
      await expect(compileTestModule({ options: { serviceUrl: 'not a url' } })).rejects.toThrow(
        new CloudTasksConfigError(INVALID_OPTIONS(['serviceUrl (usually from CLOUD_RUN_URL): serviceUrl must be an absolute http(s) URL, got "not a url"'])),
      );
    });

    it('fails to compile when projectId is missing, naming GCP_PROJECT_ID', async () => {
      const error = await compileTestModule({ options: { projectId: undefined as unknown as string } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CloudTasksConfigError);
      expect((error as Error).message).toContain('projectId (usually from GCP_PROJECT_ID): projectId must be a GCP project id, missing');
    });

    it('fails to compile on an unknown option', async () => {
      await expect(compileTestModule({ options: { maxTaskByte: 10 } as Partial<CloudTasksModuleOptions> })).rejects.toThrow(
        new CloudTasksConfigError(INVALID_OPTIONS(['maxTaskByte: unknown option; remove it or check its spelling'])),
      );
    });

    it('resolves defaults: handler path, audience = serviceUrl without trailing slash, allow-list = the service account', async () => {
      const { moduleRef } = await compileTestModule({ options: { serviceUrl: 'https://jobs.example.test/' } });
      const resolved = moduleRef.get<ResolvedCloudTasksOptions>(RESOLVED_OPTIONS);
      expect(resolved.handlerPath).toBe('api/jobs');
      expect(resolved.serviceUrl).toBe('https://jobs.example.test');
      expect(resolved.auth.audience).toBe('https://jobs.example.test');
      expect(resolved.auth.allowedServiceAccounts).toEqual([testOptions().serviceAccountEmail]);
      expect(resolved.idempotency).toMatchObject({ ttlSeconds: 86_400, failMode: 'open' });
      expect(resolved.maxTaskBytes).toBe(1024 * 1024);
      await moduleRef.close();
    });
  });

  describe('forRootAsync', () => {
    it('works with useFactory + inject + imports', async () => {
      const { moduleRef } = await compileAsync(
        CloudTasksModule.forRootAsync({
          imports: [FakeConfigModule],
          inject: [FakeConfig],
          useFactory: (config: FakeConfig) => testOptions({ projectId: config.getOrThrow('GCP_PROJECT_ID'), location: config.getOrThrow('GCP_REGION') }),
        }),
      );
      expect(await taskNameVia(moduleRef)).toMatch(/^projects\/async-project\/locations\/europe-west1\/queues\/ping-queue\/tasks\/[0-9a-f]+$/);
      await moduleRef.close();
    });

    it('works with an async useFactory', async () => {
      const { moduleRef } = await compileAsync(CloudTasksModule.forRootAsync({ useFactory: async () => testOptions({ projectId: 'promised-project' }) }));
      expect(await taskNameVia(moduleRef)).toMatch(/^projects\/promised-project\//);
      await moduleRef.close();
    });

    it('works with useClass', async () => {
      const { moduleRef } = await compileAsync(CloudTasksModule.forRootAsync({ imports: [FakeConfigModule], useClass: OptionsFactory }));
      expect(moduleRef.get<ResolvedCloudTasksOptions>(RESOLVED_OPTIONS).serviceUrl).toBe('https://async.example.test');
      expect(await taskNameVia(moduleRef)).toMatch(/^projects\/async-project\/locations\/europe-west1\//);
      await moduleRef.close();
    });

    it('works with useExisting', async () => {
      const { moduleRef } = await compileAsync(CloudTasksModule.forRootAsync({ imports: [OptionsFactoryModule], useExisting: OptionsFactory }));
      expect(await taskNameVia(moduleRef)).toMatch(/^projects\/async-project\/locations\/europe-west1\//);
      await moduleRef.close();
    });

    it('validates what the factory returns, with the same message', async () => {
      await expect(compileAsync(CloudTasksModule.forRootAsync({ useFactory: () => testOptions({ serviceUrl: 'localhost' }) }))).rejects.toThrow(
        new CloudTasksConfigError(INVALID_OPTIONS(['serviceUrl (usually from CLOUD_RUN_URL): serviceUrl must be an absolute http(s) URL, got "localhost"'])),
      );
    });
  });

  describe('auth mode "none" (local mode only, whatever NODE_ENV says)', () => {
    const saved = process.env.NODE_ENV;
    afterEach(() => {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    });

    it.each([undefined, 'development', 'test', 'Production', 'prod', 'production ', 'production'])('is refused against real Cloud Tasks with NODE_ENV=%p', async (nodeEnv) => {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
      const stores = { idempotency: { store: new OwnIdempotencyStore() }, deadLetters: { store: new OwnDeadLetterStore() } };
      await expect(compileTestModule({ testMode: false, options: { auth: { mode: 'none' }, ...stores } })).rejects.toThrow(new CloudTasksConfigError(AUTH_NONE_OUTSIDE_LOCAL_MODE));
    });

    it('boots against an emulator (and warns)', async () => {
      const logger = new RecordingLogger();
      const { moduleRef } = await compileTestModule({ testMode: false, options: { auth: { mode: 'none' }, emulatorHost: '127.0.0.1:1' }, logger });
      expect(moduleRef.get<ResolvedCloudTasksOptions>(RESOLVED_OPTIONS).auth.mode).toBe('none');
      expect(logger.messages('warn').join('\n')).toMatch(/auth\.mode "none"/);
      await moduleRef.close();
    });

    it('boots in the testing module (its local mode)', async () => {
      const { moduleRef } = await compileTestModule({ options: { auth: { mode: 'none' } } });
      expect(moduleRef.get<ResolvedCloudTasksOptions>(RESOLVED_OPTIONS).auth.mode).toBe('none');
      await moduleRef.close();
    });

    it('a verifying mode boots against real Cloud Tasks', async () => {
      process.env.NODE_ENV = 'production';
      const stores = { idempotency: { store: new OwnIdempotencyStore() }, deadLetters: { store: new OwnDeadLetterStore() } };
      const { moduleRef } = await compileTestModule({ testMode: false, options: { auth: { mode: 'verify-signature' }, ...stores } });
      expect(moduleRef.get<ResolvedCloudTasksOptions>(RESOLVED_OPTIONS).auth.mode).toBe('verify-signature');
      await moduleRef.close();
    });
  });

  describe('memory stores (local mode only, or allowMemoryStores)', () => {
    it('are refused against real Cloud Tasks without a store configured, naming the settings', async () => {
      const error = await compileTestModule({ testMode: false, options: { auth: { mode: 'verify-signature' } } }).catch((e: unknown) => e);
      expect(error).toEqual(new CloudTasksConfigError(MEMORY_STORES_OUTSIDE_LOCAL_MODE('Idempotency records')));
      expect((error as Error).message).toMatch(/idempotency\.upstash .* allowMemoryStores: 'single-instance'/);
    });

    it('an explicit MemoryDeadLetterStore is refused too', async () => {
      const options = { auth: { mode: 'verify-signature' as const }, idempotency: { store: new OwnIdempotencyStore() }, deadLetters: { store: new MemoryDeadLetterStore() } };
      await expect(compileTestModule({ testMode: false, options })).rejects.toThrow(new CloudTasksConfigError(MEMORY_STORES_OUTSIDE_LOCAL_MODE('Dead letters')));
    });

    it("boot with allowMemoryStores: 'single-instance', logged as a warning", async () => {
      const logger = new RecordingLogger();
      const { moduleRef } = await compileTestModule({ testMode: false, options: { auth: { mode: 'verify-signature' }, allowMemoryStores: 'single-instance' }, logger });
      expect(moduleRef.get(IdempotencyStore)).toBeInstanceOf(MemoryIdempotencyStore);
      expect(moduleRef.get(DeadLetterStore)).toBeInstanceOf(MemoryDeadLetterStore);
      expect(logger.messages('warn').filter((m) => m === MEMORY_STORES_OPTED_IN)).toHaveLength(2);
      await moduleRef.close();
    });
  });

  describe('idempotency store', () => {
    it('defaults to the memory store, with a boot warning that it is per instance only', async () => {
      const logger = new RecordingLogger();
      const { moduleRef } = await compileTestModule({ logger });
      expect(moduleRef.get(IdempotencyStore)).toBeInstanceOf(MemoryIdempotencyStore);
      expect(logger.messages('warn')).toContain(MEMORY_IDEMPOTENCY_WARNING);
      await moduleRef.close();
    });

    it('uses idempotency.store when given, without the warning', async () => {
      const logger = new RecordingLogger();
      const store = new MemoryIdempotencyStore();
      const { moduleRef } = await compileTestModule({ options: { idempotency: { store } }, logger });
      expect(moduleRef.get(IdempotencyStore)).toBe(store);
      expect(logger.messages('warn')).not.toContain(MEMORY_IDEMPOTENCY_WARNING);
      await moduleRef.close();
    });
  });

  describe('the client', () => {
    it('is one instance per module, shared by every enqueue', async () => {
      const { app, client } = await createTestApp();
      const queue = app.get(JobQueueService);
      await queue.add('ping', { n: 1 });
      await queue.add('ping', { n: 2 });
      expect(app.get(CLOUD_TASKS_CLIENT)).toBe(client);
      expect(client.requests).toHaveLength(2);
      await app.close();
    });

    // BUG: CloudTasksClientHost builds and closes its own CloudTasksClient; the client behind CLOUD_TASKS_CLIENT (the
    // one JobQueueService uses) is not the one closed when that token is overridden (one client per module, closed on shutdown).
    it('closes the client behind CLOUD_TASKS_CLIENT (the one in use) on shutdown', async () => {
      const { app, client } = await createTestApp();
      await app.get(JobQueueService).add('ping', { n: 1 });
      await app.close();
      expect(client.closeCalls).toBe(1);
    });
  });
});
