import { OAuth2Client } from 'google-auth-library';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { clockReaches, jobPath, LOCATION, PARENT, PROJECT, schedulerClientFor, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

const SA = 'scheduler@emu-project.iam.gserviceaccount.com';
const at = (iso: string) => Date.parse(iso);
const deadline = { seconds: 1800 };

describe('scheduler fires on the scaled clock', () => {
  let emu: CloudTasksEmulator;
  let client: CloudSchedulerClient;
  let capture: CaptureServer;
  const headersOf = (path: string) => capture.requests.filter((r) => r.url === path).map((r) => r.headers);

  const target = (path: string) => ({ uri: `${capture.url}${path}`, oidcToken: { serviceAccountEmail: SA } });

  beforeAll(async () => {
    capture = await startCaptureServer();
    // One virtual hour per real second, from just before the night Europe/Berlin moves to summer time (2026-03-29
    // 02:00 CET). The two jobs are seeded, so they exist from the clock's first instant whatever the machine's load.
    emu = await startEmulator({
      timeScale: 3600,
      clockStart: '2026-03-28T23:30:00Z',
      jobs: {
        projectId: PROJECT,
        location: LOCATION,
        jobs: [
          { name: 'quarter-hourly', schedule: '*/15 * * * *', httpTarget: target('/quarter'), attemptDeadline: '1800s' },
          // 01:00, 02:00, 03:00 and 04:00 local: 02:00 does not exist that night, so it runs once with 03:00 (01:00Z).
          { name: 'berlin-night', schedule: '0 1,2,3,4 * * *', timeZone: 'Europe/Berlin', httpTarget: target('/berlin'), attemptDeadline: '1800s' },
        ],
      },
    });
    client = schedulerClientFor(emu);
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  it('fires a schedule the expected number of times, with X-CloudScheduler-ScheduleTime, through a DST change in the job time zone', async () => {
    // 23:45 and every quarter from midnight to 03:00 UTC; 00:00, 01:00 and 02:00 UTC in Berlin.
    const executions = await emu.waitForExecutions('quarter-hourly', 14);
    await emu.waitForExecutions('berlin-night', 3);
    expect(executions.map((e) => e.scheduleTime - executions[0].scheduleTime)).toEqual(Array.from({ length: 14 }, (_, i) => i * 15 * 60_000));
    const quarters = Array.from({ length: 14 }, (_, i) => new Date(at('2026-03-28T23:45:00Z') + i * 15 * 60_000).toISOString().replace('.000Z', 'Z'));
    const sent = headersOf('/quarter').map((h) => h['x-cloudscheduler-scheduletime'] as string);
    expect(sent.filter((t) => t <= '2026-03-29T03:00:00Z')).toEqual(quarters);
    expect(headersOf('/berlin').map((h) => h['x-cloudscheduler-scheduletime']).slice(0, 3)).toEqual(['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z']);
    expect(emu.attempts.forJob('berlin-night').slice(0, 3).map((a) => [a.kind, a.forced])).toEqual([
      ['job', false],
      ['job', false],
      ['job', false],
    ]);
    await clockReaches(emu, at('2026-03-29T03:10:00Z'));
    const [job] = await client.getJob({ name: jobPath('berlin-night') });
    // Dispatched at the tick plus the real latency times 3600.
    const lastAttempt = Number(job.lastAttemptTime!.seconds) * 1000;
    expect(lastAttempt).toBeGreaterThanOrEqual(at('2026-03-29T02:00:00Z'));
    expect(new Date(Number(job.scheduleTime!.seconds) * 1000).toISOString()).toBe('2026-03-29T23:00:00.000Z'); // 01:00 CEST on the 30th
  });

  it('does not fire a paused job', async () => {
    const name = jobPath('paused');
    await client.createJob({ parent: PARENT, job: { name, schedule: '*/5 * * * *', httpTarget: target('/paused'), attemptDeadline: deadline } });
    await client.pauseJob({ name });
    const pausedAt = emu.clock.now();
    const before = headersOf('/paused').length;
    await clockReaches(emu, pausedAt + 30 * 60_000);
    expect(headersOf('/paused')).toHaveLength(before);
    expect(emu.executionsOf(name).filter((e) => e.scheduleTime > pausedAt)).toEqual([]);
  });

  it('sends the headers Cloud Scheduler sends, and a token that verifies against /certs', async () => {
    const name = jobPath('headers');
    await client.createJob({
      parent: PARENT,
      job: {
        name,
        schedule: '0 0 1 1 *',
        httpTarget: {
          uri: `${capture.url}/headers`,
          httpMethod: 'PUT',
          body: Buffer.from('{"run":true}'),
          headers: { 'X-Custom': 'kept', 'User-Agent': 'replaced', Authorization: 'replaced too', 'X-CloudScheduler-JobName': 'spoofed' },
          oidcToken: { serviceAccountEmail: SA, audience: 'https://catchup.example.run.app' },
        },
      },
    });
    await client.runJob({ name });
    await emu.waitForExecutions(name, 1);
    const [request] = capture.requests.filter((r) => r.url === '/headers');
    expect(request.method).toBe('PUT');
    expect(request.body.toString()).toBe('{"run":true}');
    expect(request.headers).toMatchObject({
      'user-agent': 'Google-Cloud-Scheduler',
      'content-type': 'application/octet-stream',
      'x-custom': 'kept',
      'x-cloudscheduler': 'true',
      'x-cloudscheduler-jobname': 'headers',
    });
    expect(request.headers['x-cloudscheduler-scheduletime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    const verifier = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: emu.certsUrl } });
    const idToken = request.headers.authorization!.replace(/^Bearer /, '');
    const ticket = await verifier.verifyIdToken({ idToken, audience: 'https://catchup.example.run.app' });
    expect(ticket.getPayload()).toMatchObject({ email: SA, email_verified: true, iss: 'https://accounts.google.com' });
  });

  it('resumes a paused job from now on, without the ticks it missed', async () => {
    const name = jobPath('paused');
    const resumedAt = emu.clock.now();
    const before = emu.executionsOf(name).length;
    await client.resumeJob({ name });
    // NOTE: the resume took effect somewhere between these two readings of the scaled clock (the RPC's round trip is
    // seconds of emulator time): its first fire is the first tick after it.
    const resumedBy = emu.clock.now();
    await emu.waitForExecutions(name, before + 2);
    const times = emu.executionsOf(name).slice(before).map((e) => e.scheduleTime);
    expect(times[0]).toBeGreaterThan(resumedAt);
    expect(times[0] - resumedBy).toBeLessThanOrEqual(5 * 60_000);
    expect(times[1] - times[0]).toBe(5 * 60_000);
    await client.pauseJob({ name });
  });
});

describe('scheduler retries', () => {
  let emu: CloudTasksEmulator;
  let client: CloudSchedulerClient;
  let capture: CaptureServer;
  let failures = new Map<string, number>();

  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 100 });
    client = schedulerClientFor(emu);
    capture = await startCaptureServer((req, res) => {
      const left = failures.get(req.url) ?? 0;
      failures.set(req.url, left - 1);
      res.statusCode = left > 0 ? 500 : 200;
      res.end();
    });
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  const create = async (id: string, retryConfig: Record<string, unknown>) => {
    const name = jobPath(id);
    await client.createJob({ parent: PARENT, job: { name, schedule: '0 0 1 1 *', httpTarget: { uri: `${capture.url}/${id}` }, retryConfig, attemptDeadline: { seconds: 60 } } });
    return name;
  };

  it('retries a 500 per the retry config (10, 20, 40, 40 s with 2 doublings capped at 40 s) and reports the last status', async () => {
    failures = new Map([['/always-500', 100]]);
    const name = await create('always-500', { retryCount: 4, minBackoffDuration: { seconds: 10 }, maxBackoffDuration: { seconds: 40 }, maxDoublings: 2 });
    await client.runJob({ name });
    const [execution] = await emu.waitForExecutions(name, 1);
    expect(execution).toMatchObject({ outcome: 'failed', attempts: 5, forced: true });
    const log = emu.attempts.forJob(name);
    expect(log.map((a) => [a.attempt, a.retryCount, a.status])).toEqual([
      [1, 0, 500],
      [2, 1, 500],
      [3, 2, 500],
      [4, 3, 500],
      [5, 4, 500],
    ]);
    expect(new Set(log.map((a) => a.scheduleTime)).size).toBe(1);
    const requests = capture.requests.filter((r) => r.url === '/always-500');
    expect(new Set(requests.map((r) => r.headers['x-cloudscheduler-scheduletime'])).size).toBe(1);
    log.slice(1).forEach((a, i) => {
      const failedAt = log[i].virtualTime + log[i].durationMs * emu.timeScale;
      expect(a.virtualTime - failedAt).toBeGreaterThanOrEqual([10, 20, 40, 40][i] * 1000);
    });
    const [job] = await client.getJob({ name });
    expect(job.status).toMatchObject({ code: 13 });
    expect(Number(job.lastAttemptTime!.seconds)).toBe(Math.floor(log[4].virtualTime / 1000));
  });

  it('stops at the first success, and does not retry with retryCount 0', async () => {
    failures = new Map([['/flaky', 2], ['/once', 1]]);
    const flaky = await create('flaky', { retryCount: 3, minBackoffDuration: { seconds: 1 } });
    const once = await create('once', {});
    await client.runJob({ name: flaky });
    await client.runJob({ name: once });
    const [[a], [b]] = await Promise.all([emu.waitForExecutions(flaky, 1), emu.waitForExecutions(once, 1)]);
    expect(a).toMatchObject({ outcome: 'succeeded', attempts: 3 });
    expect(b).toMatchObject({ outcome: 'failed', attempts: 1 });
    const [job] = await client.getJob({ name: flaky });
    expect(job.status?.code ?? 0).toBe(0);
  });

  it('keeps retrying past retryCount until maxRetryDuration has passed too', async () => {
    failures = new Map([['/duration', 100]]);
    const name = await create('duration', { retryCount: 1, maxRetryDuration: { seconds: 30 }, minBackoffDuration: { seconds: 10 }, maxBackoffDuration: { seconds: 10 } });
    await client.runJob({ name });
    const [execution] = await emu.waitForExecutions(name, 1);
    const log = emu.attempts.forJob(name);
    expect(execution.outcome).toBe('failed');
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log[log.length - 1].virtualTime - log[0].virtualTime).toBeGreaterThanOrEqual(30_000);
  });

  it('gives up retrying at the next tick, which runs instead', async () => {
    failures = new Map([['/minutely', 3]]);
    const name = jobPath('minutely');
    // Every minute, retries 40 s apart: the first retry fits before the next tick, the second would not.
    await client.createJob({
      parent: PARENT,
      job: { name, schedule: '* * * * *', httpTarget: { uri: `${capture.url}/minutely` }, retryConfig: { retryCount: 5, minBackoffDuration: { seconds: 40 }, maxBackoffDuration: { seconds: 40 } } },
    });
    const [first, second] = await emu.waitForExecutions(name, 2);
    await client.pauseJob({ name });
    expect(first).toMatchObject({ forced: false, outcome: 'failed' });
    expect(second.scheduleTime - first.scheduleTime).toBe(60_000);
    expect(first.attempts).toBeLessThanOrEqual(2);
  });
});
