import 'reflect-metadata';
import { jest } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { Test, type TestingModule } from '@nestjs/testing';
import { startEmulator, type CloudTasksEmulator } from '../libs/cloud-tasks-emulator/src/index.js';
import {
  CloudTasksClientHost,
  CloudTasksModule,
  QueueProvisioner,
  QueueProvisionError,
  type QueueConfig,
} from '../libs/cloud-tasks/src/index.js';
import { createCloudTasksClient } from '../libs/cloud-tasks/src/queue/cloud-tasks-client.factory.js';
import { RecordingLogger } from '../libs/cloud-tasks/src/testing/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queuesSync, runCli, type CliIo } from '../libs/cloud-tasks/src/cli/index.js';
import { NO_TARGET_MESSAGE } from '../src/cli/cli-support.js';
import { QUEUE_CONFIGS } from '../src/config/queue.config.js';

const PROJECT = 'provision-project';
const LOCATION = 'europe-west1';
const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;
const path = (id: string) => `${PARENT}/queues/${id}`;
const QUEUE_IDS = Object.values(QUEUE_CONFIGS).map((q) => q.name).sort();

/** The example app's configs with some overrides, by job name. */
function configsWith(overrides: Record<string, (config: QueueConfig) => QueueConfig> = {}): Record<string, QueueConfig> {
  return Object.fromEntries(Object.entries(QUEUE_CONFIGS).map(([job, config]) => [job, overrides[job] ? overrides[job](structuredClone(config)) : config]));
}

interface Provisioning {
  provisioner: QueueProvisioner;
  /** The module's own client, to spy on the calls the provisioner makes. */
  client: CloudTasksClient;
  moduleRef: TestingModule;
}

// NOTE: one emulator for the file; the tests run in order, each from the queues the previous one left (as successive
// runs of `npm run queues:sync` would).
describe('QueueProvisioner against the Cloud Tasks emulator (real client)', () => {
  let emulator: CloudTasksEmulator;
  let admin: CloudTasksClient;
  const open: TestingModule[] = [];

  /** A CloudTasksModule on the emulator with `queues`, as `npm run queues:sync` builds it. */
  async function provisioning(queues: Record<string, QueueConfig> = QUEUE_CONFIGS): Promise<Provisioning> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CloudTasksModule.forRoot({
          projectId: PROJECT,
          location: LOCATION,
          serviceUrl: 'http://127.0.0.1:1',
          serviceAccountEmail: 'tasks@provision-project.iam.gserviceaccount.com',
          queues,
          emulatorHost: emulator.grpcAddress,
          auth: { mode: 'none' },
        }),
      ],
    })
      .setLogger(new RecordingLogger())
      .compile();
    await moduleRef.init();
    open.push(moduleRef);
    const client = await moduleRef.get(CloudTasksClientHost).client();
    return { provisioner: moduleRef.get(QueueProvisioner), client, moduleRef };
  }

  function spyOnWrites(client: CloudTasksClient) {
    return {
      create: jest.spyOn(client, 'createQueue'),
      update: jest.spyOn(client, 'updateQueue'),
      remove: jest.spyOn(client, 'deleteQueue'),
    };
  }

  const queueIds = async () => (await admin.listQueues({ parent: PARENT }))[0].map((q) => q.name!.slice(PARENT.length + '/queues/'.length)).sort();
  const getQueue = async (id: string) => (await admin.getQueue({ name: path(id) }))[0];

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 1 });
    admin = createCloudTasksClient({ emulatorHost: emulator.grpcAddress });
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    for (const moduleRef of open) await moduleRef.close();
    await admin.close();
    await emulator.close();
  });

  it('creates the 11 queues of the example app from nothing, with their retry and rate settings', async () => {
    expect(await queueIds()).toEqual([]);
    const { provisioner } = await provisioning();

    const report = await provisioner.sync();

    expect(report.counts()).toEqual({ create: 11, update: 0, delete: 0, unchanged: 0, unmanaged: 0 });
    expect(report.queues.every((q) => q.applied && q.action === 'create')).toBe(true);
    expect(await queueIds()).toEqual(QUEUE_IDS);
    expect(await getQueue('token-refresh-queue')).toMatchObject({
      retryConfig: { maxAttempts: 3, minBackoff: { seconds: '60' }, maxBackoff: { seconds: '3600' }, maxDoublings: 2 },
      rateLimits: { maxDispatchesPerSecond: 10, maxConcurrentDispatches: 1000 },
      state: 'RUNNING',
    });
    // A queue without rateLimits in the config gets the Cloud Tasks defaults.
    expect(await getQueue('adaptive-sync-queue')).toMatchObject({ rateLimits: { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 1000 } });
    const created = report.entry('calendar-sync-queue')!;
    expect(created.jobs).toEqual(['calendar-sync']);
    expect(created.changes).toContainEqual({ field: 'retry_config.min_backoff', to: '30s' });
    expect(report.format()).toContain('+ calendar-sync-queue [calendar-sync]: created');
  });

  it('an unchanged config reports every queue unchanged and writes nothing', async () => {
    const { provisioner, client } = await provisioning();
    const writes = spyOnWrites(client);

    const report = await provisioner.sync();

    expect(report.counts()).toEqual({ create: 0, update: 0, delete: 0, unchanged: 11, unmanaged: 0 });
    expect(report.hasChanges).toBe(false);
    expect(report.queues.every((q) => q.changes.length === 0)).toBe(true);
    expect(writes.create).not.toHaveBeenCalled();
    expect(writes.update).not.toHaveBeenCalled();
    expect(writes.remove).not.toHaveBeenCalled();
    expect(report.summary()).toBe('11 queues: 11 unchanged.');
  });

  it('a changed maxAttempts is one update whose mask and diff name exactly that field', async () => {
    const { provisioner, client } = await provisioning(configsWith({ 'calendar-sync': (c) => ({ ...c, retryConfig: { ...c.retryConfig, maxAttempts: 7 } }) }));
    const writes = spyOnWrites(client);

    const report = await provisioner.sync();

    expect(report.counts()).toMatchObject({ update: 1, unchanged: 10, create: 0, delete: 0 });
    const entry = report.entry('calendar-sync-queue')!;
    expect(entry).toMatchObject({ action: 'update', applied: true, updateMask: ['retry_config.max_attempts'] });
    expect(entry.changes).toEqual([{ field: 'retry_config.max_attempts', from: 5, to: 7 }]);
    expect(writes.update).toHaveBeenCalledTimes(1);
    expect(writes.update.mock.calls[0][0]).toMatchObject({
      queue: { name: path('calendar-sync-queue'), retryConfig: { maxAttempts: 7 } },
      updateMask: { paths: ['retry_config.max_attempts'] },
    });
    expect(writes.create).not.toHaveBeenCalled();
    expect(await getQueue('calendar-sync-queue')).toMatchObject({
      retryConfig: { maxAttempts: 7, minBackoff: { seconds: '30' }, maxBackoff: { seconds: '1800' }, maxDoublings: 3 },
      rateLimits: { maxDispatchesPerSecond: 20 },
    });
    expect(report.format()).toMatch(/~ calendar-sync-queue \[calendar-sync\]: updated\n\s+retry_config\.max_attempts\s+5 → 7\n/);
  });

  it('a dry run reports the diff and changes nothing', async () => {
    const { provisioner, client } = await provisioning(
      configsWith({
        'calendar-sync': (c) => ({ ...c, retryConfig: { ...c.retryConfig, maxAttempts: 9, maxRetryDuration: '3600s' } }),
        'adaptive-sync': (c) => ({ ...c, rateLimits: { maxDispatchesPerSecond: 5, maxConcurrentDispatches: 20 } }),
      }),
    );
    const writes = spyOnWrites(client);

    const report = await provisioner.sync({ dryRun: true });

    expect(report.dryRun).toBe(true);
    expect(report.counts()).toMatchObject({ update: 2, unchanged: 9 });
    expect(report.entry('calendar-sync-queue')).toMatchObject({
      action: 'update',
      applied: false,
      updateMask: ['retry_config.max_attempts', 'retry_config.max_retry_duration'],
      changes: [
        { field: 'retry_config.max_attempts', from: 7, to: 9 },
        { field: 'retry_config.max_retry_duration', from: '0s', to: '3600s' },
      ],
    });
    expect(report.entry('adaptive-sync-queue')!.changes).toEqual([
      { field: 'rate_limits.max_dispatches_per_second', from: 500, to: 5 },
      { field: 'rate_limits.max_concurrent_dispatches', from: 1000, to: 20 },
    ]);
    expect(writes.update).not.toHaveBeenCalled();
    expect(writes.create).not.toHaveBeenCalled();
    expect(writes.remove).not.toHaveBeenCalled();
    const after = await getQueue('calendar-sync-queue');
    expect(after.retryConfig).toMatchObject({ maxAttempts: 7 });
    expect(after.retryConfig?.maxRetryDuration ?? null).toBeNull();
    expect(await getQueue('adaptive-sync-queue')).toMatchObject({ rateLimits: { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 1000 } });
    expect(report.format()).toMatch(/^Cloud Tasks queues in projects\/provision-project\/locations\/europe-west1 \(dry run: nothing changed\)/);
    expect(report.format()).toContain('~ calendar-sync-queue [calendar-sync]: would update');
    expect(report.summary()).toBe('11 queues: 2 to update, 9 unchanged.');
  });

  it('deletes queues missing from the config only with prune (and not in a dry run)', async () => {
    await admin.createQueue({ parent: PARENT, queue: { name: path('legacy-queue'), retryConfig: { maxAttempts: 4 } } });
    const { provisioner, client } = await provisioning(configsWith({ 'calendar-sync': (c) => ({ ...c, retryConfig: { ...c.retryConfig, maxAttempts: 7 } }) }));
    const writes = spyOnWrites(client);

    const kept = await provisioner.sync();
    expect(kept.entry('legacy-queue')).toMatchObject({ action: 'unmanaged', applied: false, jobs: [], changes: [] });
    expect(kept.format()).toContain('? legacy-queue: not in the config, kept (--prune deletes it)');
    expect(await queueIds()).toContain('legacy-queue');

    const planned = await provisioner.sync({ prune: true, dryRun: true });
    expect(planned.entry('legacy-queue')).toMatchObject({ action: 'delete', applied: false });
    expect(planned.entry('legacy-queue')!.changes).toContainEqual({ field: 'retry_config.max_attempts', from: 4 });
    expect(await queueIds()).toContain('legacy-queue');
    expect(writes.remove).not.toHaveBeenCalled();

    const pruned = await provisioner.sync({ prune: true });
    expect(pruned.counts()).toEqual({ create: 0, update: 0, delete: 1, unchanged: 11, unmanaged: 0 });
    expect(pruned.entry('legacy-queue')).toMatchObject({ action: 'delete', applied: true });
    expect(writes.remove).toHaveBeenCalledTimes(1);
    expect(writes.remove).toHaveBeenCalledWith({ name: path('legacy-queue') });
    await expect(admin.getQueue({ name: path('legacy-queue') })).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(await queueIds()).toEqual(QUEUE_IDS);
  });

  it('puts a field the config no longer sets back to the Cloud Tasks default with a mask naming it', async () => {
    const { provisioner, client } = await provisioning(configsWith({ 'calendar-sync': (c) => ({ ...c, rateLimits: undefined }) }));
    const writes = spyOnWrites(client);

    const report = await provisioner.sync();

    // calendar-sync is back at maxAttempts 5 (the original config), and its rate goes from 20 to the default 500.
    expect(report.entry('calendar-sync-queue')).toMatchObject({
      action: 'update',
      updateMask: ['retry_config.max_attempts', 'rate_limits.max_dispatches_per_second'],
      changes: [
        { field: 'retry_config.max_attempts', from: 7, to: 5 },
        { field: 'rate_limits.max_dispatches_per_second', from: 20, to: 500 },
      ],
    });
    expect(writes.update).toHaveBeenCalledTimes(1);
    expect(await getQueue('calendar-sync-queue')).toMatchObject({ retryConfig: { maxAttempts: 5 }, rateLimits: { maxDispatchesPerSecond: 500 } });
  });

  it('agrees with the emulator seeded from the same configs: everything unchanged', async () => {
    const seeded = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 1, queues: { projectId: PROJECT, location: LOCATION, queues: QUEUE_CONFIGS } });
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          CloudTasksModule.forRoot({
            projectId: PROJECT,
            location: LOCATION,
            serviceUrl: 'http://127.0.0.1:1',
            serviceAccountEmail: 'tasks@provision-project.iam.gserviceaccount.com',
            queues: QUEUE_CONFIGS,
            emulatorHost: seeded.grpcAddress,
            auth: { mode: 'none' },
          }),
        ],
      })
        .setLogger(new RecordingLogger())
        .compile();
      try {
        const report = await moduleRef.get(QueueProvisioner).sync();
        expect(report.counts()).toMatchObject({ unchanged: 11, create: 0, update: 0 });
      } finally {
        await moduleRef.close();
      }
    } finally {
      await seeded.close();
    }
  });

  it('fails with the cause and a hint when Cloud Tasks cannot be reached', async () => {
    const { provisioner, client } = await provisioning();
    jest.spyOn(client, 'listQueues').mockImplementation((() => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }))) as never);

    const error = await provisioner.sync().then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(QueueProvisionError);
    expect((error as Error).message).toBe(
      `Could not list the Cloud Tasks queues of ${PARENT}: 14 UNAVAILABLE: No connection established (is the Cloud Tasks emulator running at ${emulator.grpcAddress} (CLOUD_TASKS_EMULATOR_HOST)?)`,
    );
  });
  describe('npm run queues:sync (nest-cloud-tasks queues:sync --module src/cli/cloud-tasks.cli.ts)', () => {
    const EXAMPLE_CONFIG = fileURLToPath(new URL('../src/cli/cloud-tasks.cli.ts', import.meta.url));
    function capture(): CliIo & { stdout: string; stderr: string } {
      const io = { stdout: '', stderr: '', out: (t: string) => (io.stdout += `${t}\n`), err: (t: string) => (io.stderr += `${t}\n`) };
      return io;
    }
    const env = () => ({ NODE_ENV: 'test', CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress, GCP_PROJECT_ID: PROJECT, GCP_REGION: LOCATION });
    const exampleSync = (argv: string[], deps: { env: NodeJS.ProcessEnv; io: CliIo }) => queuesSync([...argv, '--module', EXAMPLE_CONFIG], deps);

    // Back to the example app's configs, whatever the tests above left.
    beforeAll(async () => {
      await (await provisioning()).provisioner.sync();
    });

    it('--dry-run --prune prints the diff and changes nothing; --prune then deletes; exit 0', async () => {
      await admin.createQueue({ parent: PARENT, queue: { name: path('orphan-queue') } });

      const planned = capture();
      expect(await exampleSync(['--dry-run', '--prune'], { env: env(), io: planned })).toBe(0);
      expect(planned.stderr).toBe('');
      expect(planned.stdout).toContain(`Target: Cloud Tasks emulator at ${emulator.grpcAddress}, ${PARENT}\n`);
      expect(planned.stdout).toContain(`Cloud Tasks queues in ${PARENT} (dry run: nothing changed)\n`);
      expect(planned.stdout).toContain('  - orphan-queue: would delete\n      retry_config.max_attempts              100 → (none)\n');
      expect(planned.stdout).toContain('12 queues: 1 to delete, 11 unchanged.');
      expect(await queueIds()).toContain('orphan-queue');

      const kept = capture();
      expect(await exampleSync([], { env: env(), io: kept })).toBe(0);
      expect(kept.stdout).toContain('? orphan-queue: not in the config, kept (--prune deletes it)');

      const pruned = capture();
      expect(await exampleSync(['--prune', '--json'], { env: env(), io: pruned })).toBe(0);
      expect(JSON.parse(pruned.stdout)).toMatchObject({ parent: PARENT, dryRun: false, prune: true, ok: true, counts: { delete: 1, unchanged: 11 } });
      expect(await queueIds()).toEqual(QUEUE_IDS);
    });

    it('exits 2 naming the variables to set when there is no Cloud Tasks to talk to', async () => {
      const io = capture();
      expect(await exampleSync([], { env: { NODE_ENV: 'test' }, io })).toBe(2);
      expect(io.stderr).toBe(`queues:sync: ${NO_TARGET_MESSAGE}\n`);
      expect(io.stderr).toMatch(/CLOUD_TASKS_EMULATOR_HOST[\s\S]*GCP_PROJECT_ID and GCP_REGION/);
      expect(io.stdout).toBe('');
    });

    it('exits 2 with the usage on an unknown flag', async () => {
      const io = capture();
      expect(await exampleSync(['--force'], { env: env(), io })).toBe(2);
      expect(io.stderr).toMatch(/^queues:sync: Unknown option '--force'[\s\S]*Usage: nest-cloud-tasks queues:sync \[--dry-run\] \[--prune\]/);
    });

    it('exits 1 naming the cause when the emulator is not there', async () => {
      const io = capture();
      expect(await exampleSync([], { env: { ...env(), CLOUD_TASKS_EMULATOR_HOST: '127.0.0.1:1' }, io })).toBe(1);
      expect(io.stderr).toMatch(/^queues:sync failed: Could not list the Cloud Tasks queues of projects\/provision-project\/locations\/europe-west1: 14 UNAVAILABLE: .*\(is the Cloud Tasks emulator running at 127\.0\.0\.1:1 \(CLOUD_TASKS_EMULATOR_HOST\)\?\)\n$/);
    });
  });

  // A user's app, not the example: one queue, in a location of its own on the same emulator.
  describe('nest-cloud-tasks queues:sync with a user-shaped configuration of one queue', () => {
    const USER_LOCATION = 'asia-northeast1';
    const USER_PARENT = `projects/${PROJECT}/locations/${USER_LOCATION}`;
    const WELCOME = { name: 'welcome-email-queue', retryConfig: { maxAttempts: 4, minBackoff: '5s', maxBackoff: '60s', maxDoublings: 2 } };
    let dir: string;
    const io = () => {
      const captured = { stdout: '', stderr: '', out: (t: string) => (captured.stdout += `${t}\n`), err: (t: string) => (captured.stderr += `${t}\n`) };
      return captured;
    };
    const userIds = async () => (await admin.listQueues({ parent: USER_PARENT }))[0].map((q) => q.name!.slice(USER_PARENT.length + '/queues/'.length)).sort();

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cli-user-config-'));
      const options = { projectId: PROJECT, location: USER_LOCATION, serviceUrl: 'https://mail.example.test', serviceAccountEmail: 'tasks@mail.iam.gserviceaccount.com', queues: { 'send-welcome-email': WELCOME } };
      writeFileSync(join(dir, 'queues.mjs'), `export const queues = ${JSON.stringify({ 'send-welcome-email': WELCOME })};\n`);
      writeFileSync(join(dir, 'options.mjs'), `export const cloudTasksOptions = ${JSON.stringify(options)};\nexport const unrelated = 42;\n`);
      writeFileSync(join(dir, 'factory.cjs'), `exports.cloudTasksOptions = ({ env }) => (${JSON.stringify(options)});\n`);
      writeFileSync(join(dir, 'two.mjs'), `export const a = ${JSON.stringify(options)};\nexport const b = ${JSON.stringify(options)};\n`);
      writeFileSync(join(dir, 'app.module.ts'), 'export class AppModule {\n  constructor(private readonly name: string) {}\n}\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a dry run plans exactly that queue, then a sync creates only it', async () => {
      const planned = io();
      const code = await runCli(['queues:sync', '--dry-run', '--module', 'options.mjs'], { cwd: dir, env: { CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress }, io: planned });
      expect(planned.stderr).toBe('');
      expect(code).toBe(0);
      expect(planned.stdout).toContain(`Target: Cloud Tasks emulator at ${emulator.grpcAddress}, ${USER_PARENT}\n`);
      expect(planned.stdout).toContain('+ welcome-email-queue [send-welcome-email]: would create');
      expect(planned.stdout).toContain('1 queue: 1 to create.');
      expect(planned.stdout).not.toMatch(/calendar-sync|token-refresh/);
      expect(await userIds()).toEqual([]);

      const applied = io();
      expect(await runCli(['queues:sync', '--module', 'factory.cjs#cloudTasksOptions', '--emulator-host', emulator.grpcAddress], { cwd: dir, env: {}, io: applied })).toBe(0);
      expect(applied.stdout).toContain('+ welcome-email-queue [send-welcome-email]: created');
      expect(await userIds()).toEqual(['welcome-email-queue']);
    });

    it('takes the queue configs alone with --project and --location', async () => {
      const out = io();
      const argv = ['queues:sync', '--json', '--module', join(dir, 'queues.mjs'), '--project', PROJECT, '--location', USER_LOCATION];
      expect(await runCli(argv, { env: { CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress }, io: out })).toBe(0);
      expect(JSON.parse(out.stdout)).toMatchObject({ parent: USER_PARENT, counts: { create: 0, unchanged: 1, update: 0, delete: 0 } });
    });

    it('dead-letters reads the store of the same configuration, and says when it is a memory store', async () => {
      const out = io();
      expect(await runCli(['dead-letters', 'list', '--module', 'options.mjs#cloudTasksOptions'], { cwd: dir, env: { CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress }, io: out })).toBe(0);
      expect(out.stdout).toBe('No dead letters.\n');
      expect(out.stderr).toMatch(/^Warning: no dead-letter store is configured \(idempotency\.upstash or deadLetters\.store\)/);
    });

    it('names the fix when the configuration is missing, wrong or ambiguous (exit 2)', async () => {
      const fails = async (argv: string[], env: NodeJS.ProcessEnv = { CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress }) => {
        const out = io();
        expect(await runCli(argv, { cwd: dir, env, io: out })).toBe(2);
        return out.stderr.trimEnd();
      };
      expect(await fails(['queues:sync'])).toMatch(/^queues:sync: queues:sync reads your configuration: pass --module FILE\[#EXPORT\] .* or --app FILE\[#EXPORT\]/);
      expect(await fails(['queues:sync', '--module', 'nope.js'])).toBe(`queues:sync: Cannot find nope.js (looked at ${join(dir, 'nope.js')}). Pass the path of the compiled JavaScript file, relative to the working directory (run your build first).`);
      expect(await fails(['queues:sync', '--module', 'options.mjs#options'])).toBe(
        'queues:sync: options.mjs has no export "options" (its exports: cloudTasksOptions, unrelated). Name the right one after "#", e.g. options.mjs#cloudTasksOptions.',
      );
      expect(await fails(['queues:sync', '--module', 'options.mjs#unrelated'])).toMatch(/^queues:sync: options\.mjs#unrelated is number 42; --module expects your CloudTasksModuleOptions/);
      expect(await fails(['queues:sync', '--module', 'two.mjs'])).toBe('queues:sync: two.mjs exports several candidates (a, b): say which with --module two.mjs#a.');
      expect(await fails(['queues:sync', '--module', 'queues.mjs'], {})).toMatch(/^queues:sync: queues\.mjs#queues holds only queue configs, so the CLI needs to know where they live: --project ID \(or GOOGLE_CLOUD_PROJECT\) and --location LOCATION/);
      expect(await fails(['queues:sync', '--app', 'app.module.ts'])).toMatch(/^queues:sync: app\.module\.ts is TypeScript, which Node does not import by itself: pass the compiled file/);
      expect(await fails(['dead-letters', 'list', '--module', 'queues.mjs', '--project', 'p', '--location', 'l'])).toMatch(/^dead-letters: queues\.mjs#queues holds only queue configs: dead-letters needs the store/);
      expect(await fails(['queue:sync'])).toMatch(/^nest-cloud-tasks: unknown command "queue:sync"/);
    });
  });
});
