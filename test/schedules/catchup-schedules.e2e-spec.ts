import 'reflect-metadata';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { createSchedulerEmulatorClient, startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import { JobEventBus, QueueProvisioner, type JobEvent } from '../../libs/cloud-tasks/src/index.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { waitFor } from '../../libs/cloud-tasks/src/testing/wait-for.js';
import { QUEUE_CONFIGS } from '../../src/config/queue.config.js';
import { SCHEDULE_CONFIGS } from '../../src/config/schedule.config.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION } from '../../src/local-infrastructure.js';
import { bootCatchUp, type CatchUpApp } from '../support/catchup-app.js';

const PARENT = `projects/${LOCAL_PROJECT_ID}/locations/${LOCAL_REGION}`;

/** The example app's own schedules: synced into the emulator as `npm start` does, then fired. */
describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('CatchUp schedules', () => {
    let emulator: CloudTasksEmulator;
    let scheduler: CloudSchedulerClient;
    let catchup: CatchUpApp;
    const completed: JobEvent[] = [];

    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, timeScale: 100, queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS } });
      scheduler = createSchedulerEmulatorClient(emulator.grpcAddress);
      catchup = await bootCatchUp({ adapter, emulator });
      catchup.app.get(JobEventBus).subscribe((e) => e.type === 'completed' && completed.push(e));
    });
    afterAll(async () => {
      await catchup?.close();
      await scheduler?.close();
      await emulator?.close();
    });

    it('the sync creates the hourly health check and the Monday-morning digest in Paris time', async () => {
      const report = await catchup.app.get(QueueProvisioner).sync();
      expect(report.scheduleCounts()).toMatchObject({ create: SCHEDULE_CONFIGS.length, unmanaged: 0 });
      expect(report.counts()).toMatchObject({ unchanged: 11 });
      const [jobs] = await scheduler.listJobs({ parent: PARENT });
      expect(jobs.map((j) => [j.name!.split('/').pop(), j.schedule, j.timeZone, j.state]).sort()).toEqual([
        ['webhook-health-check', '0 * * * *', 'Etc/UTC', 'ENABLED'],
        ['weekly-digest', '0 8 * * 1', 'Europe/Paris', 'ENABLED'],
      ]);
      const digest = jobs.find((j) => j.name!.endsWith('/weekly-digest'))!;
      const next = new Date(Number(digest.scheduleTime!.seconds) * 1000);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('Monday 08:00');
    });

    it('a fire of the health check runs it once, through its queue, as the task named after the fire', async () => {
      await scheduler.runJob({ name: `${PARENT}/jobs/webhook-health-check` });
      const [execution] = await emulator.waitForExecutions('webhook-health-check', 1, { timeoutMs: 20_000 });
      const key = `schedule:webhook-health-check:${new Date(Math.floor(execution.scheduleTime)).toISOString()}`;
      await waitFor(() => completed.some((e) => e.idempotencyKey === key), { timeoutMs: 20_000, what: 'the scheduled health check' });
      expect(execution).toMatchObject({ outcome: 'succeeded', attempts: 1 });
      const runs = completed.filter((e) => e.idempotencyKey === key);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ jobName: 'webhook-health-check', queue: 'webhook-health-check-queue' });
    });
  });
});
