import request from 'supertest';
import { JOB_NAMES, QUEUE_CONFIGS } from '../src/config/queue.config.js';
import { SAMPLE_JOBS } from '../src/jobs/sample-jobs.js';
import { NotificationService } from '../src/domain/notification.service.js';
import { JobEventBus, type JobEvent } from '../libs/cloud-tasks/src/index.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION } from '../src/local-infrastructure.js';
import { bootCatchUp, type CatchUpApp } from './support/catchup-app.js';
import { startEmulator, type CloudTasksEmulator } from '../libs/cloud-tasks-emulator/src/index.js';
import { HTTP_ADAPTERS } from '../libs/cloud-tasks/src/testing/http-adapters.js';

function envelope(jobName: string, data: unknown, idempotencyKey: string) {
  return { jobName, data, idempotencyKey, enqueuedAt: new Date().toISOString() };
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('CatchUp job endpoints (POST /api/jobs/:jobName, real HTTP)', () => {
    let catchup: CatchUpApp;
    let emulator: CloudTasksEmulator;
    beforeAll(async () => {
      // NOTE: processors enqueue follow-up jobs, so the app needs a Cloud Tasks to talk to; requests here come from the test.
      emulator = await startEmulator({ port: 0, httpPort: 0, timeScale: 1, queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS } });
      catchup = await bootCatchUp({ adapter, emulator, env: { JOBS_AUTH_MODE: 'none' } });
    });
    afterAll(async () => {
      await catchup.close();
      await emulator.close();
    });

    it.each(JOB_NAMES.map((name) => [name]))('%s answers 200 with its processor result', async (jobName) => {
      const res = await request(catchup.url)
        .post(`/api/jobs/${jobName}`)
        .set('X-CloudTasks-QueueName', QUEUE_CONFIGS[jobName].name)
        .set('X-CloudTasks-TaskName', `t-${jobName}`)
        .send(envelope(jobName, SAMPLE_JOBS[jobName], `key-${jobName}`));
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
      expect(res.body.result).toEqual(expect.any(Object));
      expect(res.body.duplicate).toBeUndefined();
    });

    it('a duplicate key answers 200 duplicate with the cached result, and the processor ran once', async () => {
      const outbox = catchup.app.get(NotificationService);
      const before = outbox.outbox.length;
      const body = envelope('notification-reminder', { userId: 'u2', reminderId: 'rem-2', channel: 'push' }, 'dup-key-1');
      const send = () => request(catchup.url).post('/api/jobs/notification-reminder').set('X-CloudTasks-QueueName', 'notification-reminder-queue').send(body);
      const first = await send();
      const second = await send();
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ success: true, duplicate: true, result: first.body.result });
      expect(outbox.outbox.length).toBe(before + 1);
    });

    it.each([
      ['malformed JSON', '{"jobName": "calendar-sync", "data": {', 'application/json', 202, /not valid JSON/],
      ['a body that is not an object', '[1,2,3]', 'application/json', 202, /must be a JSON object/],
      ['a jobName mismatch', JSON.stringify(envelope('token-refresh', { userId: 'u1' }, 'k-mismatch')), 'application/json', 202, /does not match/],
      ['a payload with wrong types', JSON.stringify(envelope('calendar-sync', { userId: 42, fullSync: 'yes' }, 'k-types')), 'application/json', 202, /data\.userId.*data\.fullSync|data\.fullSync.*data\.userId/s],
      ['a payload with an unknown field', JSON.stringify(envelope('calendar-sync', { userId: 'u1', admin: true }, 'k-extra')), 'application/json', 202, /data\.admin is not allowed/],
    ])('bad input (%s) never runs a processor and is dead-lettered', async (_case, body, type, status, message) => {
      const events: JobEvent[] = [];
      const unsubscribe = catchup.app.get(JobEventBus).subscribe((e) => events.push(e));
      const res = await request(catchup.url).post('/api/jobs/calendar-sync').set('X-CloudTasks-QueueName', 'calendar-sync-queue').set('Content-Type', type).send(body);
      expect(res.status).toBe(status);
      expect(res.headers['x-job-outcome']).toBe('dead');
      expect(res.body).toEqual({ success: false, dead: true, error: expect.stringMatching(message) });
      unsubscribe();
      expect(events.map((e) => e.type)).toEqual(['dead']);
    });

    it('an unknown job answers 404 so Cloud Tasks retries until a handler is deployed', async () => {
      const res = await request(catchup.url).post('/api/jobs/no-such-job').set('X-CloudTasks-QueueName', 'x').send(envelope('no-such-job', {}, 'k404'));
      expect(res.status).toBe(404);
      expect(res.body.error).toMatch(/No handler for job "no-such-job"/);
    });

    it('still serves valid jobs after all that', async () => {
      const res = await request(catchup.url).post('/api/jobs/token-health-reminder').set('X-CloudTasks-QueueName', 'token-health-reminder-queue').send(envelope('token-health-reminder', { userId: 'u2' }, 'k-after'));
      expect(res.status).toBe(200);
    });
  });
});
