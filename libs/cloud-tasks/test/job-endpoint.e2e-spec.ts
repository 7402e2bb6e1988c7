import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { IsString } from 'class-validator';
import { CloudTasksModule, JobHandler, type CloudTasksModuleOptions, type JobContext, type JobProcessor } from '../src/index.js';
import { createHttpApp, HTTP_ADAPTERS, initHttpApp, type HttpAdapterName } from '../src/testing/http-adapters.js';

class Payload { @IsString() userId!: string; }

@JobHandler('ping', { payload: Payload })
class PingProcessor implements JobProcessor<Payload> {
  runs = 0;
  async process(data: Payload, job: JobContext) { this.runs++; return { pong: data.userId, attempt: job.attempt }; }
}

/** A minimal app with one job. No emulator runs: emulatorHost only keeps the unused client off Google credentials. */
async function bootPingApp(adapter: HttpAdapterName, extra: Partial<CloudTasksModuleOptions> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [CloudTasksModule.forRoot({
      projectId: 'demo-project', location: 'us-central1', serviceUrl: 'http://localhost:3000', serviceAccountEmail: 'tasks@demo-project.iam.gserviceaccount.com',
      queues: { ping: { name: 'ping-queue', retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2 } } },
      auth: { mode: 'none' },
      emulatorHost: '127.0.0.1:1',
      ...extra,
    })],
    providers: [PingProcessor],
  }).compile();
  const app = await createHttpApp(moduleRef, adapter);
  await initHttpApp(app);
  return app;
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('smoke', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await bootPingApp(adapter);
    });
    afterAll(() => app.close());
    it('runs', async () => {
      const body = { jobName: 'ping', data: { userId: 'u1' }, idempotencyKey: 'k1', enqueuedAt: new Date().toISOString() };
      const res = await request(app.getHttpServer()).post('/api/jobs/ping').set('X-CloudTasks-QueueName', 'ping-queue').send(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, result: { pong: 'u1', attempt: 1 } });
      const dup = await request(app.getHttpServer()).post('/api/jobs/ping').set('X-CloudTasks-QueueName', 'ping-queue').send(body);
      expect(dup.body).toEqual({ success: true, duplicate: true, result: { pong: 'u1', attempt: 1 } });
      expect(app.get(PingProcessor).runs).toBe(1);
    });
  });

  describe('large bodies', () => {
    let app: INestApplication;
    let runs: PingProcessor;
    beforeAll(async () => {
      app = await bootPingApp(adapter, { maxTaskBytes: 600_000 });
      runs = app.get(PingProcessor);
    });
    afterAll(() => app.close());

    it('accepts a task body above the 100 kB default of the app-wide JSON parser, up to maxTaskBytes', async () => {
      const userId = 'x'.repeat(300_000);
      const body = { jobName: 'ping', data: { userId }, idempotencyKey: 'big-1', enqueuedAt: new Date().toISOString() };
      const res = await request(app.getHttpServer()).post('/api/jobs/ping').set('X-CloudTasks-QueueName', 'ping-queue').send(body);
      expect(res.status).toBe(200);
      expect((res.body as { result: { pong: string } }).result.pong).toHaveLength(300_000);
    });

    it('answers 413 beyond maxTaskBytes without running the job', async () => {
      const before = runs.runs;
      const body = { jobName: 'ping', data: { userId: 'y'.repeat(700_000) }, idempotencyKey: 'big-2', enqueuedAt: new Date().toISOString() };
      const res = await request(app.getHttpServer()).post('/api/jobs/ping').set('X-CloudTasks-QueueName', 'ping-queue').send(body);
      expect(res.status).toBe(413);
      expect(runs.runs).toBe(before);
    });
  });
});
