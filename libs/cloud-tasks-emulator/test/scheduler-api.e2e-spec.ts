import { status } from '@grpc/grpc-js';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { grpcCode, jobPath, PARENT, rpcError, schedulerClientFor, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

const INVALID_SCHEDULE = { code: status.INVALID_ARGUMENT, message: 'Schedule or time zone is invalid.' };
const seconds = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(d?.seconds ?? 0) + (d?.nanos ?? 0) / 1e9;

describe.each(['grpc', 'rest'] as const)('CloudScheduler API through the real @google-cloud/scheduler client over %s', (transport) => {
  let emu: CloudTasksEmulator;
  let client: CloudSchedulerClient;
  let capture: CaptureServer;
  let n = 0;
  const httpJob = (overrides: Record<string, unknown> = {}) => ({
    name: jobPath(`job-${++n}`),
    schedule: '0 9 * * 1',
    timeZone: 'Europe/Paris',
    httpTarget: { uri: `${capture.url}/tick`, body: Buffer.from('{"a":1}'), headers: { 'Content-Type': 'application/json' } },
    ...overrides,
  });

  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 10 });
    client = schedulerClientFor(emu, { transport });
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  it('creates a job with the service defaults filled in and gets it back', async () => {
    const [job] = await client.createJob({ parent: PARENT, job: httpJob() });
    expect(job).toMatchObject({
      name: jobPath(`job-${n}`),
      schedule: '0 9 * * 1',
      timeZone: 'Europe/Paris',
      state: 'ENABLED',
      httpTarget: {
        uri: `${capture.url}/tick`,
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Google-Cloud-Scheduler' },
      },
      retryConfig: { retryCount: 0, maxDoublings: 5, minBackoffDuration: { seconds: '5' }, maxBackoffDuration: { seconds: '3600' } },
      attemptDeadline: { seconds: '180' },
    });
    expect(Buffer.from(job.httpTarget!.body!).toString()).toBe('{"a":1}');
    // The next Monday 09:00 in Paris, seen from the emulator clock.
    const next = new Date(seconds(job.scheduleTime) * 1000);
    expect(next.getTime()).toBeGreaterThan(emu.clock.now());
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('Mon 09:00');
    expect(job.lastAttemptTime ?? null).toBeNull();
    const [got] = await client.getJob({ name: job.name });
    expect(got).toEqual(job);
  });

  it('reports Etc/UTC when no time zone is given, and a generated name when none is', async () => {
    const [job] = await client.createJob({ parent: PARENT, job: { ...httpJob(), name: undefined, timeZone: undefined } });
    expect(job.timeZone).toBe('Etc/UTC');
    expect(job.name).toMatch(new RegExp(`^${PARENT}/jobs/[0-9a-f]{20}$`));
  });

  it('lists the jobs of a location in pages', async () => {
    const parent = 'projects/emu-project/locations/asia-east1';
    for (const id of ['a', 'b', 'c']) await client.createJob({ parent, job: { ...httpJob(), name: `${parent}/jobs/${id}` } });
    const [first, , page1] = await client.listJobs({ parent, pageSize: 2 }, { autoPaginate: false });
    expect(first.map((j) => j.name)).toEqual([`${parent}/jobs/a`, `${parent}/jobs/b`]);
    const [second] = await client.listJobs({ parent, pageSize: 2, pageToken: page1!.nextPageToken! }, { autoPaginate: false });
    expect(second.map((j) => j.name)).toEqual([`${parent}/jobs/c`]);
    const [all] = await client.listJobs({ parent });
    expect(all).toHaveLength(3);
  });

  it('refuses an existing job, a bad name, a bad schedule or time zone, and a missing target', async () => {
    const job = httpJob();
    await client.createJob({ parent: PARENT, job });
    expect(await grpcCode(client.createJob({ parent: PARENT, job }))).toBe(status.ALREADY_EXISTS);
    expect(await grpcCode(client.createJob({ parent: PARENT, job: { ...httpJob(), name: `${PARENT}/jobs/bad.name` } }))).toBe(status.INVALID_ARGUMENT);
    for (const schedule of ['0 0 * * * *', '61 * * * *', 'every 5 minutes', '@hourly', '0 0 L * *', '']) {
      expect([schedule, await rpcError(client.createJob({ parent: PARENT, job: httpJob({ schedule }) }))]).toEqual([
        schedule,
        schedule ? INVALID_SCHEDULE : { code: status.INVALID_ARGUMENT, message: 'Job.schedule is required.' },
      ]);
    }
    expect(await rpcError(client.createJob({ parent: PARENT, job: httpJob({ timeZone: 'Mars/Olympus' }) }))).toEqual(INVALID_SCHEDULE);
    expect(await grpcCode(client.createJob({ parent: PARENT, job: { name: jobPath(`none-${n}`), schedule: '* * * * *' } }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(client.createJob({ parent: PARENT, job: httpJob({ retryConfig: { retryCount: 6 } }) }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(client.createJob({ parent: PARENT, job: httpJob({ attemptDeadline: { seconds: 5 } }) }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(client.createJob({ parent: PARENT, job: httpJob({ pubsubTarget: { topicName: 'projects/p/topics/t' }, httpTarget: undefined }) }))).toBe(
      status.UNIMPLEMENTED,
    );
  });

  it('updates the masked fields only, and every mutable field without a mask', async () => {
    const [job] = await client.createJob({ parent: PARENT, job: httpJob({ retryConfig: { retryCount: 2 } }) });
    const [masked] = await client.updateJob({
      job: { name: job.name, schedule: '30 8 * * *', description: 'ignored', retryConfig: { retryCount: 4, maxDoublings: 2 } },
      updateMask: { paths: ['schedule', 'retry_config.retry_count'] },
    });
    expect(masked).toMatchObject({ schedule: '30 8 * * *', timeZone: 'Europe/Paris', retryConfig: { retryCount: 4, maxDoublings: 5 } });
    expect(masked.description ?? '').toBe('');
    expect(seconds(masked.scheduleTime)).toBeLessThan(seconds(job.scheduleTime) + 1);
    const [replaced] = await client.updateJob({ job: { name: job.name, schedule: '*/5 * * * *', httpTarget: { uri: `${capture.url}/other`, httpMethod: 'GET' } } });
    expect(replaced).toMatchObject({ schedule: '*/5 * * * *', timeZone: 'Etc/UTC', httpTarget: { uri: `${capture.url}/other`, httpMethod: 'GET' }, retryConfig: { retryCount: 0 } });
    expect(await grpcCode(client.updateJob({ job: { name: job.name, schedule: 'nope' }, updateMask: { paths: ['schedule'] } }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(client.updateJob({ job: { name: job.name }, updateMask: { paths: ['no_such_field'] } }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(client.updateJob({ job: { ...httpJob(), name: jobPath('missing') } }))).toBe(status.NOT_FOUND);
  });

  it('pauses and resumes a job (FAILED_PRECONDITION out of order), and deletes it', async () => {
    const [job] = await client.createJob({ parent: PARENT, job: httpJob() });
    const [paused] = await client.pauseJob({ name: job.name });
    expect(paused.state).toBe('PAUSED');
    expect(paused.scheduleTime ?? null).toBeNull();
    expect(await grpcCode(client.pauseJob({ name: job.name }))).toBe(status.FAILED_PRECONDITION);
    const [resumed] = await client.resumeJob({ name: job.name });
    expect(resumed.state).toBe('ENABLED');
    expect(seconds(resumed.scheduleTime)).toBeGreaterThan(0);
    expect(await grpcCode(client.resumeJob({ name: job.name }))).toBe(status.FAILED_PRECONDITION);
    await client.deleteJob({ name: job.name });
    expect(await grpcCode(client.getJob({ name: job.name }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(client.deleteJob({ name: job.name }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(client.runJob({ name: job.name }))).toBe(status.NOT_FOUND);
  });

  it('RunJob fires now and reports the attempt', async () => {
    const [job] = await client.createJob({ parent: PARENT, job: httpJob() });
    const before = capture.requests.length;
    const asked = emu.clock.now();
    await client.runJob({ name: job.name });
    const [execution] = await emu.waitForExecutions(job.name!, 1);
    expect(execution).toMatchObject({ outcome: 'succeeded', forced: true, attempts: 1 });
    expect(execution.scheduleTime).toBeGreaterThanOrEqual(asked);
    const request = capture.requests.slice(before).find((r) => r.url === '/tick');
    expect(request?.headers['x-cloudscheduler-jobname']).toBe(`job-${n}`);
    const [after] = await client.getJob({ name: job.name });
    expect(seconds(after.lastAttemptTime) * 1000).toBeGreaterThanOrEqual(Math.floor(asked / 1000) * 1000);
    expect(after.status?.code ?? 0).toBe(0);
    expect(after.state).toBe('ENABLED');
  });
});
