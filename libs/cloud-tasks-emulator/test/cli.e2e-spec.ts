import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmulatorClient, createSchedulerEmulatorClient } from '../src/index.js';
import { buildCli, exitOf, READY, readyLine, run } from './testing/cli-support.js';
import { startCaptureServer } from './testing/e2e-support.js';


describe('CLI', () => {
  let dir: string;
  let cli: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cloud-tasks-emulator-cli-'));
    cli = await buildCli(dir);
  }, 30_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints help', async () => {
    const { code, stdout } = await exitOf(run(cli, ['--help']));
    expect(code).toBe(0);
    expect(stdout).toContain('--queues-from FILE');
  });

  it('refuses an unknown flag with exit code 2', async () => {
    const { code, stderr } = await exitOf(run(cli, ['--nope']));
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--nope'");
  });

  it('starts with queues from a file, prints one ready line, dispatches, and stops on SIGTERM', async () => {
    const queuesFile = path.join(dir, 'queues.json');
    await writeFile(
      queuesFile,
      JSON.stringify({
        projectId: 'cli-project',
        location: 'us-central1',
        queues: {
          'calendar-sync': { name: 'calendar-sync-queue', retryConfig: { maxAttempts: 5, minBackoff: '10s', maxBackoff: '300s', maxDoublings: 3 } },
          'send-email': { name: 'email-queue', retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '60s', maxDoublings: 2 }, rateLimits: { maxDispatchesPerSecond: 20 } },
          'partial-job': { name: 'partial-queue', rateLimits: { maxConcurrentDispatches: 2 } },
        },
      }),
    );
    const capture = await startCaptureServer();
    const child = run(cli, ['--port', '0', '--http-port', '0', '--queues-from', queuesFile, '--time-scale', '50']);
    const exited = exitOf(child);
    const line = await readyLine(child);
    const [, grpcAddress, httpAddress] = READY.exec(line) ?? [];
    expect(grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(httpAddress).toMatch(/^127\.0\.0\.1:\d+$/);

    const client = createEmulatorClient(grpcAddress);
    try {
      const [queues] = await client.listQueues({ parent: 'projects/cli-project/locations/us-central1' });
      expect(queues.map((q) => [q.name?.split('/').pop(), q.retryConfig?.maxAttempts])).toEqual([
        ['calendar-sync-queue', 5],
        ['email-queue', 3],
        ['partial-queue', 100],
      ]);
      expect(queues[2].rateLimits).toMatchObject({ maxConcurrentDispatches: 2, maxDispatchesPerSecond: 500 });
      expect(queues[1].rateLimits?.maxDispatchesPerSecond).toBe(20);

      const delivered = new Promise<void>((resolve) => {
        capture.handler = (_req, res) => {
          res.end();
          resolve();
        };
      });
      await client.createTask({ parent: queues[0].name!, task: { httpRequest: { url: `${capture.url}/api/jobs/calendar-sync` } } });
      await delivered;
      expect(capture.requests[0].headers['x-cloudtasks-queuename']).toBe('calendar-sync-queue');
      expect(await (await fetch(`http://${httpAddress}/healthz`)).json()).toEqual({ status: 'ok' });
    } finally {
      await client.close();
      await capture.close();
    }

    child.kill('SIGTERM');
    const { code, stdout } = await exited;
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([line]);
  }, 20_000);

  it('creates --queue NAME queues (repeatable) under --project/--location, with the service defaults', async () => {
    const child = run(cli, ['--port', '0', '--queue', 'alpha', '--queue', 'beta', '--project', 'flag-project', '--location', 'europe-west3']);
    const exited = exitOf(child);
    const [, grpcAddress, httpAddress] = READY.exec(await readyLine(child)) ?? [];
    expect(httpAddress).toBe(grpcAddress);
    expect(await (await fetch(`http://${grpcAddress}/healthz`)).json()).toEqual({ status: 'ok' });
    const client = createEmulatorClient(grpcAddress);
    try {
      const [queues] = await client.listQueues({ parent: 'projects/flag-project/locations/europe-west3' });
      expect(queues.map((q) => q.name?.split('/').pop())).toEqual(['alpha', 'beta']);
      expect(queues[0].retryConfig).toMatchObject({ maxAttempts: 100, maxDoublings: 16 });
    } finally {
      await client.close();
    }
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }, 20_000);

  it('refuses a queue file entry without a name, naming the entry', async () => {
    const file = path.join(dir, 'nameless.json');
    await writeFile(file, JSON.stringify({ queues: { 'my-job': { retryConfig: { maxAttempts: 2 } } } }));
    const { code, stderr } = await exitOf(run(cli, ['--port', '0', '--queues-from', file]));
    expect(code).toBe(1);
    expect(stderr).toContain('Queue definition my-job has no "name"');
  });

  it('applies the 7-day queue-name rule with --strict-queue-names', async () => {
    const child = run(cli, ['--port', '0', '--strict-queue-names', '--queue', 'once']);
    const exited = exitOf(child);
    const [, grpcAddress] = READY.exec(await readyLine(child)) ?? [];
    const client = createEmulatorClient(grpcAddress);
    const name = 'projects/local-project/locations/us-central1/queues/once';
    try {
      await client.deleteQueue({ name });
      await expect(client.createQueue({ parent: 'projects/local-project/locations/us-central1', queue: { name } })).rejects.toMatchObject({
        code: 9,
        details: 'The queue cannot be created because a queue with this name existed too recently.',
      });
    } finally {
      await client.close();
    }
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }, 20_000);

  it('creates the jobs of --schedules-from and fires them on the clock started at --clock-start', async () => {
    const file = path.join(dir, 'schedules.json');
    const capture = await startCaptureServer();
    await writeFile(
      file,
      JSON.stringify({
        projectId: 'cli-project',
        jobs: [{ name: 'hourly-report', schedule: '0 * * * *', timeZone: 'Europe/London', httpTarget: { uri: `${capture.url}/api/jobs/report`, body: Buffer.from('{}').toString('base64') } }],
      }),
    );
    const child = run(cli, ['--port', '0', '--schedules-from', file, '--clock-start', '2026-01-01T00:59:30Z', '--time-scale', '60']);
    const exited = exitOf(child);
    const [, grpcAddress] = READY.exec(await readyLine(child)) ?? [];
    const client = createSchedulerEmulatorClient(grpcAddress);
    try {
      const [jobs] = await client.listJobs({ parent: 'projects/cli-project/locations/us-central1' });
      expect(jobs.map((j) => [j.name, j.schedule, j.timeZone])).toEqual([['projects/cli-project/locations/us-central1/jobs/hourly-report', '0 * * * *', 'Europe/London']]);
      const fired = new Promise<string>((resolve) => {
        capture.handler = (req, res) => {
          res.end();
          resolve(req.headers['x-cloudscheduler-scheduletime'] as string);
        };
      });
      expect(await fired).toBe('2026-01-01T01:00:00Z');
    } finally {
      await client.close();
      await capture.close();
    }
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }, 20_000);
});
