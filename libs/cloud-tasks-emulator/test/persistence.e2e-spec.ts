import { status } from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmulatorClient, startEmulator } from '../src/index.js';
import { buildCli, exitOf, READY, readyLine, run } from './testing/cli-support.js';
import { grpcCode, jobPath, PARENT, queuePath, schedulerClientFor, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

const inSeconds = (s: number) => ({ seconds: Math.floor(Date.now() / 1000) + s });

describe('persistence with a data directory', () => {
  let dir: string;
  let capture: CaptureServer;

  beforeAll(async () => {
    capture = await startCaptureServer((req, res) => {
      res.statusCode = req.url.startsWith('/fail') ? 500 : 200;
      res.end();
    });
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'emulator-data-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await capture.close();
  });

  it('keeps queues, tasks (schedule times, attempt counts, used names), IAM policies and scheduler jobs across a restart on the same port, then dispatches', async () => {
    const first = await startEmulator({ dataDir: dir, keyFile: false, timeScale: 20 });
    const port = Number(first.grpcAddress.split(':')[1]);
    let client = createEmulatorClient(first.grpcAddress);
    let scheduler = schedulerClientFor(first);
    const held = queuePath('held');
    const retrying = queuePath('retrying');
    await client.createQueue({ parent: PARENT, queue: { name: held, retryConfig: { maxAttempts: 7 }, rateLimits: { maxDispatchesPerSecond: 5 } } });
    await client.createQueue({ parent: PARENT, queue: { name: retrying, retryConfig: { minBackoff: { seconds: 3600 }, maxBackoff: { seconds: 3600 } } } });
    await client.pauseQueue({ name: held });
    await client.setIamPolicy({ resource: held, policy: { bindings: [{ role: 'roles/cloudtasks.enqueuer', members: ['user:a@example.com'] }] } });
    const [later] = await client.createTask({ parent: held, task: { name: `${held}/tasks/later`, scheduleTime: inSeconds(60), httpRequest: { url: `${capture.url}/later`, body: Buffer.from('kept') } } });
    await client.createTask({ parent: held, task: { name: `${held}/tasks/now`, httpRequest: { url: `${capture.url}/now` } } });
    const [failing] = await client.createTask({ parent: retrying, task: { name: `${retrying}/tasks/failing`, httpRequest: { url: `${capture.url}/fail` } } });
    const [done] = await client.createTask({ parent: retrying, task: { name: `${retrying}/tasks/done`, httpRequest: { url: `${capture.url}/ok` } } });
    await first.waitForTask(done.name!);
    while (first.attempts.forTask(failing.name!).length < 1) await new Promise((r) => setTimeout(r, 5));
    await scheduler.createJob({ parent: PARENT, job: { name: jobPath('nightly'), schedule: '0 3 * * *', timeZone: 'Europe/Paris', httpTarget: { uri: `${capture.url}/nightly` } } });
    const clockBefore = first.clock.now();
    await client.close();
    await scheduler.close();
    await first.close();

    const second = await startEmulator({ dataDir: dir, keyFile: false, port, timeScale: 20 });
    try {
      expect(second.grpcAddress).toBe(first.grpcAddress);
      expect(second.clock.now()).toBeGreaterThanOrEqual(clockBefore);
      client = createEmulatorClient(second.grpcAddress);
      scheduler = schedulerClientFor(second);
      const [queue] = await client.getQueue({ name: held });
      expect(queue).toMatchObject({ state: 'PAUSED', retryConfig: { maxAttempts: 7 }, rateLimits: { maxDispatchesPerSecond: 5 } });
      const [policy] = await client.getIamPolicy({ resource: held });
      expect(policy.bindings).toMatchObject([{ role: 'roles/cloudtasks.enqueuer', members: ['user:a@example.com'] }]);
      const [tasks] = await client.listTasks({ parent: held, responseView: 'FULL' });
      expect(tasks.map((t) => t.name)).toEqual([`${held}/tasks/later`, `${held}/tasks/now`]);
      expect(tasks[0].scheduleTime).toEqual(later.scheduleTime);
      expect(Buffer.from(tasks[0].httpRequest!.body!).toString()).toBe('kept');
      const [retried] = await client.getTask({ name: failing.name });
      expect(retried.dispatchCount).toBe(1);
      expect(retried.lastAttempt?.responseStatus?.code).toBe(13);
      expect(await grpcCode(client.createTask({ parent: retrying, task: { name: done.name, httpRequest: { url: `${capture.url}/ok` } } }))).toBe(status.ALREADY_EXISTS);
      const [job] = await scheduler.getJob({ name: jobPath('nightly') });
      expect(job).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Paris', state: 'ENABLED' });

      await client.resumeQueue({ name: held });
      expect((await second.waitForTask(`${held}/tasks/now`, { timeoutMs: 10_000 })).outcome).toBe('succeeded');
      await client.runTask({ name: `${held}/tasks/later` });
      expect((await second.waitForTask(`${held}/tasks/later`, { timeoutMs: 10_000 })).outcome).toBe('succeeded');
      expect(capture.requests.filter((r) => r.url === '/later').map((r) => r.body.toString())).toEqual(['kept']);
      await client.deleteTask({ name: failing.name });
    } finally {
      await client.close();
      await scheduler.close();
      await second.close();
    }
  }, 30_000);

  it('keeps every acknowledged task when the process is killed with SIGKILL mid-run', async () => {
    const cli = await buildCli(path.join(dir, 'cli'));
    const dataDir = path.join(dir, 'data');
    const start = () => run(cli, ['--port', '0', '--data-dir', dataDir, '--ephemeral-key', '--queue', 'bulk']);
    const parent = 'projects/local-project/locations/us-central1/queues/bulk';

    const child = start();
    const exited = exitOf(child);
    const [, address] = READY.exec(await readyLine(child)) ?? [];
    const client = createEmulatorClient(address);
    await client.pauseQueue({ name: parent });
    const acknowledged: string[] = [];
    let refused = 0;
    let killed = false;
    const later = { seconds: Math.floor(Date.now() / 1000) + 3600 };
    let next = 0;
    // Twenty producers keep creating tasks while the process is killed: some answered, the ones in flight cut.
    const producers = Array.from({ length: 20 }, async () => {
      while (!killed) {
        const name = `${parent}/tasks/t${next++}`;
        try {
          await client.createTask({ parent, task: { name, scheduleTime: later, httpRequest: { url: `${capture.url}/bulk` } } });
          acknowledged.push(name);
          if (acknowledged.length === 300) {
            killed = true;
            child.kill('SIGKILL');
          }
        } catch {
          refused++;
        }
      }
    });
    await Promise.all(producers);
    expect((await exited).code).toBeNull();
    expect(refused).toBeGreaterThan(0);
    await client.close();

    const again = start();
    const exitedAgain = exitOf(again);
    const [, address2] = READY.exec(await readyLine(again)) ?? [];
    const client2 = createEmulatorClient(address2);
    try {
      const [tasks] = await client2.listTasks({ parent });
      const names = new Set(tasks.map((t) => t.name));
      expect(acknowledged.filter((name) => !names.has(name))).toEqual([]);
      const [queue] = await client2.getQueue({ name: parent });
      expect(queue.state).toBe('PAUSED');
    } finally {
      await client2.close();
    }
    again.kill('SIGTERM');
    expect((await exitedAgain).code).toBe(0);
  }, 60_000);
});
