import 'reflect-metadata';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthCheck, HealthCheckService, TerminusModule, type HealthCheckResult } from '@nestjs/terminus';
import request from 'supertest';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import { CloudTasksHealthIndicator, CloudTasksModule, type CloudTasksModuleOptions } from '../../libs/cloud-tasks/src/index.js';
import { queueConfig } from '../../libs/cloud-tasks/src/testing/index.js';
import { createHttpApp, HTTP_ADAPTERS, initHttpApp } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { bootCatchUp } from '../support/catchup-app.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

const PROJECT = 'health-project';
const LOCATION = 'us-central1';
const QUEUES = { ping: queueConfig('health-ping-queue') };

/** The app's health endpoint, as the terminus docs write it. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly jobs: CloudTasksHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.jobs.isHealthy('jobs', { queue: true, timeoutMs: 2000 })]);
  }
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('CloudTasksHealthIndicator under @nestjs/terminus', () => {
    let emulator: CloudTasksEmulator;
    let closedPort: number;
    const apps: INestApplication[] = [];

    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, httpPort: 0, timeScale: 1, queues: { projectId: PROJECT, location: LOCATION, queues: QUEUES } });
      closedPort = await freePort();
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      await emulator?.close();
    });

    async function boot(overrides: Partial<CloudTasksModuleOptions>): Promise<INestApplication> {
      const options: CloudTasksModuleOptions = {
        projectId: PROJECT,
        location: LOCATION,
        serviceUrl: 'http://127.0.0.1:1',
        serviceAccountEmail: 'tasks@health-project.iam.gserviceaccount.com',
        queues: QUEUES,
        emulatorHost: emulator.grpcAddress,
        auth: { mode: 'none' },
        ...overrides,
      };
      const moduleRef = await Test.createTestingModule({ imports: [TerminusModule, CloudTasksModule.forRoot(options)], controllers: [HealthController] }).compile();
      const app = await createHttpApp(moduleRef, adapter, { logger: false });
      await initHttpApp(app);
      apps.push(app);
      return app;
    }

    it('up: the store answers and Cloud Tasks knows the queue → 200 with the indicator under its key', async () => {
      const app = await boot({});
      const res = await request(app.getHttpServer()).get('/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        info: { jobs: { status: 'up', store: { status: 'up' }, cloudTasks: { status: 'up' } } },
        error: {},
        details: { jobs: { status: 'up', store: { status: 'up' }, cloudTasks: { status: 'up' } } },
      });
    });

    it('store unreachable (Upstash on a closed port) → 503, the store named down with its error', async () => {
      const app = await boot({ idempotency: { upstash: { url: `http://127.0.0.1:${closedPort}`, token: 'local' } } });
      const res = await request(app.getHttpServer()).get('/health').expect(503);
      expect(res.body).toMatchObject({
        status: 'error',
        error: { jobs: { status: 'down', store: { status: 'down', error: expect.any(String) }, cloudTasks: { status: 'up' } } },
      });
    });

    it('Cloud Tasks unreachable → 503, cloudTasks down, the store still up', async () => {
      const app = await boot({ emulatorHost: `127.0.0.1:${closedPort}` });
      const res = await request(app.getHttpServer()).get('/health').expect(503);
      expect(res.body.error.jobs).toEqual({ status: 'down', store: { status: 'up' }, cloudTasks: { status: 'down', error: expect.stringMatching(/UNAVAILABLE|ECONNREFUSED|No connection/i) } });
    });
  });

  it('the example app: GET /health/ready answers the indicator without terminus (200 up)', async () => {
    const catchup = await bootCatchUp({ adapter });
    try {
      const res = await request(catchup.app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body).toEqual({ status: 'up', store: { status: 'up' }, cloudTasks: { status: 'up' } });
    } finally {
      await catchup.close();
    }
  });
});
