import 'reflect-metadata';
import { createTestApp, queueConfig, scriptedHandler, type ScriptedProcessor, type TestApp } from '../testing/index.js';
import { FakeCloudTasksClient } from '../testing/fake-cloud-tasks-client.js';
import { HTTP_ADAPTERS } from '../testing/http-adapters.js';
import { BAD_FIRE_BODY, BAD_SCHEDULE_TIME_HEADER, MISSING_SCHEDULER_JOB_HEADER, NO_SCHEDULE_FOR_JOB } from './schedule.messages.js';

const Report = scriptedHandler('report');
const Other = scriptedHandler('other');
const QUEUES = { report: queueConfig('report-queue'), other: queueConfig('other-queue') };
const SCHEDULES = [{ job: 'report', id: 'report-nightly', cron: '0 3 * * *', data: { kind: 'nightly' } }];
const TICK = '2026-03-29T03:00:00Z';

const fireHeaders = (overrides: Record<string, string | null> = {}) => ({
  'X-CloudScheduler': 'true',
  'X-CloudScheduler-JobName': 'report-nightly',
  'X-CloudScheduler-ScheduleTime': TICK,
  ...overrides,
});
const fireBody = { schedule: 'report-nightly', data: { kind: 'nightly' } };

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('job endpoint: Cloud Scheduler fires', () => {
    let t: TestApp;
    let client: FakeCloudTasksClient;

    beforeEach(async () => {
      client = new FakeCloudTasksClient();
      client.uniqueNames = true;
      t = await createTestApp({ adapter, client, options: { queues: QUEUES, schedules: SCHEDULES }, providers: [Report, Other] });
    });
    afterEach(() => t.close());

    it('enqueues one task named after the schedule and the tick, carrying the fire', async () => {
      const res = await t.deliver('report', fireBody, fireHeaders());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, schedule: 'report-nightly', scheduleTime: '2026-03-29T03:00:00.000Z', duplicate: false });
      expect(client.requests).toHaveLength(1);
      const task = client.requests[0].task!;
      expect(task.name).toBe(res.body.taskName);
      const envelope = JSON.parse(Buffer.from(task.httpRequest!.body as Uint8Array).toString());
      expect(envelope).toMatchObject({
        jobName: 'report',
        data: { kind: 'nightly' },
        idempotencyKey: 'schedule:report-nightly:2026-03-29T03:00:00.000Z',
        schedule: { id: 'report-nightly', scheduleTime: '2026-03-29T03:00:00.000Z' },
      });
      expect(t.app.get(Report).calls).toEqual([]);
    });

    it('a second delivery of the same fire is one task (duplicate: true); the next tick is another', async () => {
      const first = await t.deliver('report', fireBody, fireHeaders());
      const again = await t.deliver('report', fireBody, fireHeaders());
      const next = await t.deliver('report', fireBody, fireHeaders({ 'X-CloudScheduler-ScheduleTime': '2026-03-30T03:00:00Z' }));
      expect(again).toMatchObject({ status: 200, body: { duplicate: true, taskName: first.body.taskName } });
      expect(next).toMatchObject({ status: 200, body: { duplicate: false } });
      expect(next.body.taskName).not.toBe(first.body.taskName);
      expect(client.created.size).toBe(2);
    });

    it('refuses fires it cannot place: no schedule for the job, no job name, a bad tick, a body of another schedule', async () => {
      const noSchedule = await t.deliver('other', fireBody, fireHeaders());
      expect(noSchedule).toMatchObject({ status: 400, body: { error: NO_SCHEDULE_FOR_JOB('other') } });
      const noName = await t.deliver('report', fireBody, fireHeaders({ 'X-CloudScheduler-JobName': null }));
      expect(noName).toMatchObject({ status: 400, body: { error: MISSING_SCHEDULER_JOB_HEADER } });
      const badTick = await t.deliver('report', fireBody, fireHeaders({ 'X-CloudScheduler-ScheduleTime': 'yesterday' }));
      expect(badTick).toMatchObject({ status: 400, body: { error: BAD_SCHEDULE_TIME_HEADER } });
      const otherBody = await t.deliver('report', { schedule: 'report-weekly', data: {} }, fireHeaders());
      expect(otherBody).toMatchObject({ status: 400, body: { error: BAD_FIRE_BODY('report-nightly', 'it names schedule "report-weekly"') } });
      const unknownJob = await t.deliver('missing', fireBody, fireHeaders());
      expect(unknownJob.status).toBe(404);
      expect(client.requests).toEqual([]);
    });

    it('answers 500 when the task cannot be enqueued, so Cloud Scheduler retries', async () => {
      client.next(Object.assign(new Error('3 INVALID_ARGUMENT: no'), { code: 3 }));
      const res = await t.deliver('report', fireBody, fireHeaders());
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ retryable: true, error: expect.stringMatching(/^Could not enqueue the job of this fire/) });
    });
  });

  describe('a fire on the inline transport', () => {
    it('runs the processor with job.schedule', async () => {
      const t = await createTestApp({ adapter, options: { queues: QUEUES, schedules: SCHEDULES, transport: { default: 'inline' } }, providers: [Report, Other] });
      try {
        expect((await t.deliver('report', fireBody, fireHeaders())).status).toBe(200);
        const report: ScriptedProcessor = t.app.get(Report);
        const { InlineTransport } = await import('../transport/inline.transport.js');
        await t.app.get(InlineTransport).drain();
        expect(report.calls).toHaveLength(1);
        expect(report.calls[0].data).toEqual({ kind: 'nightly' });
        expect(report.calls[0].job.schedule).toEqual({ id: 'report-nightly', scheduleTime: new Date(TICK) });
      } finally {
        await t.close();
      }
    });
  });
});

describe('fires with task signing on', () => {
  const secret = 'a-signing-secret-of-at-least-32-characters';
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ options: { queues: QUEUES, schedules: SCHEDULES, signing: { secrets: [secret] } }, providers: [Report, Other] });
  });
  afterEach(() => t.close());

  it('accepts the body the sync signed (the header it puts in the Cloud Scheduler job) and refuses an unsigned one', async () => {
    const { jobMessage } = await import('./schedule-settings.js');
    const { RESOLVED_OPTIONS } = await import('../cloud-tasks.tokens.js');
    const options = t.app.get(RESOLVED_OPTIONS);
    const job = jobMessage('projects/p/locations/l/jobs/report-nightly', options.schedules[0], options);
    const headers = job.httpTarget!.headers!;
    const body = Buffer.from(job.httpTarget!.body as Uint8Array);
    expect(Object.keys(headers).sort()).toEqual(['Content-Type', 'x-job-signature']);
    expect((await t.deliver('report', body, fireHeaders({ 'x-job-signature': headers['x-job-signature'] }))).status).toBe(200);
    expect((await t.deliver('report', body, fireHeaders())).status).toBe(401);
  });
});
