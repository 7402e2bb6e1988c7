import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { startEmulator, createSchedulerEmulatorClient, type CloudTasksEmulator, type FireRecord } from '../../libs/cloud-tasks-emulator/src/index.js';
import { QueueProvisioner, type ScheduleConfig } from '../../libs/cloud-tasks/src/index.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { waitFor } from '../../libs/cloud-tasks/src/testing/wait-for.js';
import { UNKNOWN_SCHEDULER_JOB } from '../../libs/cloud-tasks/src/schedules/schedule.messages.js';
import { startFireProxy, type FireProxy } from './support/fire-proxy.js';
import { bootScheduleApp, jobPath, SERVICE_ACCOUNT, type Run, type ScheduleApp } from './support/schedule-app.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

/** One virtual hour per real second, from the evening before Europe/Paris moves to summer time (2026-03-29 02:00 CET). */
const TIME_SCALE = 3600;
const CLOCK_START = '2026-03-28T21:00:00Z';
/** Past the night's last Paris tick (04:00 CEST = 02:00Z). */
const WINDOW_END = Date.parse('2026-03-29T02:30:00Z');
const YEARLY = '0 0 1 1 *';
const deadline = { attemptDeadlineSeconds: 1800 };

jest.setTimeout(60_000);

const SCHEDULES: ScheduleConfig[] = [
  // 01:00, 02:00, 03:00 and 04:00 in Paris: 02:00 does not exist that night, so it runs once, with 03:00 (01:00Z).
  { job: 'digest', id: 'paris-night', cron: '0 1,2,3,4 * * *', timeZone: 'Europe/Paris', data: { edition: 'night' }, ...deadline },
  // NOTE: no tick in the clock's first 30 minutes: CreateJob cannot create a paused job, the sync pauses it right after.
  { job: 'digest', id: 'digest-paused', cron: '30 * * * *', data: { edition: 'never' }, paused: true, ...deadline },
  { job: 'ping', id: 'ping-manual', cron: YEARLY, data: { via: 'run-job' }, ...deadline },
  { job: 'ping', id: 'ping-flaky', cron: YEARLY, data: { via: 'flaky' }, retry: { retryCount: 3, minBackoffDuration: '10s', maxBackoffDuration: '300s', maxDoublings: 2 }, ...deadline },
  { job: 'ping', id: 'ping-lost', cron: YEARLY, data: { via: 'lost' }, retry: { retryCount: 1, minBackoffDuration: '5s' }, ...deadline },
];

/**
 * Cloud Scheduler → (a proxy that can fail or lose answers) → the job endpoint (OIDC verified) → one task per fire
 * in the job's queue → the endpoint again → the processor, on the emulator's scaled clock, on Express and Fastify.
 */
describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('schedule fires through the emulator', () => {
    let emulator: CloudTasksEmulator;
    let scheduler: CloudSchedulerClient;
    let proxy: FireProxy;
    let booted: ScheduleApp;
    let syncedAt: number;
    let appUrl: string;
    const runsOf = (id: string): Run[] => booted.runs.filter((r) => r.schedule?.id === id);
    const fires = (id: string): FireRecord[] => emulator.attempts.forJob(id).filter((a): a is FireRecord => a.kind === 'job');

    beforeAll(async () => {
      const [port, emulatorPort] = [await freePort(), await freePort()];
      appUrl = `http://127.0.0.1:${port}`;
      proxy = await startFireProxy(appUrl);
      const emulatorHost = `127.0.0.1:${emulatorPort}`;
      // NOTE: the emulator (and its fast clock) starts once the app is built, so the window does not pay for the build.
      const start = async () => {
        emulator = await startEmulator({ host: '127.0.0.1', port: emulatorPort, timeScale: TIME_SCALE, clockStart: CLOCK_START });
      };
      booted = await bootScheduleApp({ emulator: { grpcAddress: emulatorHost, certsUrl: `http://${emulatorHost}/certs` }, serviceUrl: proxy.url, schedules: SCHEDULES, adapter, port, beforeInit: start });
      scheduler = createSchedulerEmulatorClient(emulator.grpcAddress);
      await booted.app.get(QueueProvisioner).sync();
      syncedAt = emulator.clock.now();
    });
    afterAll(async () => {
      await booted?.close();
      await proxy?.close();
      await scheduler?.close();
      await emulator?.close();
    });

    it('the sync ran before the first tick of the window (else the counts below would be short)', () => {
      expect(syncedAt).toBeLessThan(Date.parse('2026-03-29T00:00:00Z'));
    });

    it('fires a Paris schedule the expected number of times across the DST change, each tick runs the job once with its schedule time', async () => {
      const executions = await emulator.waitForExecutions('paris-night', 3, { timeoutMs: 30_000 });
      await waitFor(async () => emulator.clock.now() >= WINDOW_END, { timeoutMs: 30_000, what: 'the end of the window' });
      await waitFor(() => runsOf('paris-night').length >= 3, { timeoutMs: 10_000, what: 'three digest runs' });

      const expected = ['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z'];
      const inWindow = emulator.executionsOf('paris-night').filter((e) => e.scheduleTime <= WINDOW_END);
      expect(inWindow).toHaveLength(3);
      expect(executions.map((e) => e.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(proxy.forwarded('paris-night').slice(0, 3).map((f) => [f.scheduleTime, f.status])).toEqual(expected.map((t) => [t, 200]));
      const runs = runsOf('paris-night');
      expect(runs).toHaveLength(3);
      expect(runs.map((r) => r.schedule!.scheduleTime)).toEqual(expected.map((t) => t.replace('Z', '.000Z')));
      expect(runs.map((r) => r.data)).toEqual([{ edition: 'night' }, { edition: 'night' }, { edition: 'night' }]);
      expect(new Set(runs.map((r) => r.idempotencyKey)).size).toBe(3);
      expect(runs[0].idempotencyKey).toBe('schedule:paris-night:2026-03-29T00:00:00.000Z');
    });

    it('does not fire a paused schedule', async () => {
      await waitFor(async () => emulator.clock.now() >= WINDOW_END, { timeoutMs: 30_000, what: 'the end of the window' });
      expect(emulator.executionsOf('digest-paused')).toEqual([]);
      expect(runsOf('digest-paused')).toEqual([]);
      expect((await scheduler.getJob({ name: jobPath('digest-paused') }))[0].state).toBe('PAUSED');
    });

    it('RunJob fires now: one task, run with the time it was asked', async () => {
      const before = emulator.clock.now();
      await scheduler.runJob({ name: jobPath('ping-manual') });
      const [execution] = await emulator.waitForExecutions('ping-manual', 1, { timeoutMs: 10_000 });
      await waitFor(() => runsOf('ping-manual').length === 1, { timeoutMs: 10_000, what: 'the ping-manual run' });

      expect(execution).toMatchObject({ forced: true, outcome: 'succeeded', attempts: 1 });
      expect(execution.scheduleTime).toBeGreaterThanOrEqual(before);
      const [run] = runsOf('ping-manual');
      expect(run).toMatchObject({ jobName: 'ping', data: { via: 'run-job' } });
      // The header keeps the milliseconds of when RunJob was asked.
      expect(Date.parse(run.schedule!.scheduleTime)).toBe(Math.floor(execution.scheduleTime));
    });

    it('a 500 answer is retried per the schedule’s retry config, the attempts are visible, and the job runs once', async () => {
      proxy.inject('ping-flaky', 'fail', 2);
      await scheduler.runJob({ name: jobPath('ping-flaky') });
      const [execution] = await emulator.waitForExecutions('ping-flaky', 1, { timeoutMs: 10_000 });
      await waitFor(() => runsOf('ping-flaky').length === 1, { timeoutMs: 10_000, what: 'the ping-flaky run' });

      expect(execution).toMatchObject({ outcome: 'succeeded', attempts: 3 });
      const attempts = fires('ping-flaky');
      expect(attempts.map((a) => [a.status, a.retryCount])).toEqual([[500, 0], [500, 1], [200, 2]]);
      expect(new Set(attempts.map((a) => a.scheduleTime)).size).toBe(1);
      // minBackoffDuration 10s, doubling: 10 s then 20 s (emulator clock), measured from each failure.
      expect(attempts[1].virtualTime - attempts[0].virtualTime).toBeGreaterThanOrEqual(10_000);
      expect(attempts[2].virtualTime - attempts[1].virtualTime).toBeGreaterThanOrEqual(20_000);
      const [job] = await scheduler.getJob({ name: jobPath('ping-flaky') });
      expect(job.status?.code ?? 0).toBe(0);
      expect(runsOf('ping-flaky')).toHaveLength(1);
    });

    it('a fire delivered twice (the first answer lost) enqueues one task and runs once', async () => {
      proxy.inject('ping-lost', 'lose-answer', 1);
      await scheduler.runJob({ name: jobPath('ping-lost') });
      const [execution] = await emulator.waitForExecutions('ping-lost', 1, { timeoutMs: 10_000 });
      await waitFor(() => runsOf('ping-lost').length === 1, { timeoutMs: 10_000, what: 'the ping-lost run' });
      await emulator.idle();

      expect(execution).toMatchObject({ outcome: 'succeeded', attempts: 2 });
      const answers = proxy.forwarded('ping-lost').map((f) => ({ status: f.status, ...(JSON.parse(f.body) as { duplicate: boolean; taskName: string }) }));
      expect(answers).toHaveLength(2);
      expect(answers.map((a) => [a.status, a.duplicate])).toEqual([[200, false], [200, true]]);
      expect(answers[1].taskName).toBe(answers[0].taskName);
      expect(emulator.attempts.forQueue('ping-queue').filter((a) => answers[0].taskName.endsWith(`/${a.taskId}`))).toHaveLength(1);
      expect(runsOf('ping-lost')).toHaveLength(1);
    });

    it('refuses a fire whose Cloud Scheduler job is not a schedule of the job (400), and one without a token (401)', async () => {
      const token = emulator.idToken(SERVICE_ACCOUNT, proxy.url);
      const fire = (headers: Record<string, string>) =>
        fetch(`${appUrl}/api/jobs/ping`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-cloudscheduler': 'true', 'x-cloudscheduler-jobname': 'nightly-export', 'x-cloudscheduler-scheduletime': '2026-03-29T05:00:00Z', ...headers },
          body: JSON.stringify({ schedule: 'nightly-export', data: {} }),
        });
      const stranger = await fire({ authorization: `Bearer ${token}` });
      expect(stranger.status).toBe(400);
      expect(await stranger.json()).toMatchObject({ error: UNKNOWN_SCHEDULER_JOB('nightly-export', 'ping', ['ping-manual', 'ping-flaky', 'ping-lost']) });
      expect((await fire({})).status).toBe(401);
      expect(booted.runs.filter((r) => r.schedule?.id === 'nightly-export')).toEqual([]);
    });
  });
});

/** The other change of the year: Europe/Paris goes back from 03:00 CEST to 02:00 CET on 2026-10-25. */
describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('a Paris schedule across the October DST change', () => {
    let emulator: CloudTasksEmulator;
    let booted: ScheduleApp;
    let syncedAt: number;
    const windowEnd = Date.parse('2026-10-25T03:30:00Z');

    beforeAll(async () => {
      const [port, emulatorPort] = [await freePort(), await freePort()];
      const emulatorHost = `127.0.0.1:${emulatorPort}`;
      const start = async () => {
        emulator = await startEmulator({ host: '127.0.0.1', port: emulatorPort, timeScale: TIME_SCALE, clockStart: '2026-10-24T21:00:00Z' });
      };
      const schedules: ScheduleConfig[] = [{ job: 'digest', id: 'paris-night', cron: '0 1,2,3,4 * * *', timeZone: 'Europe/Paris', data: { edition: 'night' }, ...deadline }];
      booted = await bootScheduleApp({ emulator: { grpcAddress: emulatorHost, certsUrl: `http://${emulatorHost}/certs` }, serviceUrl: `http://127.0.0.1:${port}`, schedules, adapter, port, beforeInit: start });
      await booted.app.get(QueueProvisioner).sync();
      syncedAt = emulator.clock.now();
    });
    afterAll(async () => {
      await booted?.close();
      await emulator?.close();
    });

    it('fires 4 times: 02:00 happens twice that night and runs once', async () => {
      expect(syncedAt).toBeLessThan(Date.parse('2026-10-24T23:00:00Z'));
      await emulator.waitForExecutions('paris-night', 4, { timeoutMs: 30_000 });
      await waitFor(async () => emulator.clock.now() >= windowEnd, { timeoutMs: 30_000, what: 'the end of the window' });
      await waitFor(() => booted.runs.length >= 4, { timeoutMs: 10_000, what: 'four digest runs' });

      // 01:00 CEST, 02:00 CEST (the second 02:00, CET, is not run again), 03:00 CET, 04:00 CET.
      const expected = ['2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z'];
      expect(emulator.executionsOf('paris-night').filter((e) => e.scheduleTime <= windowEnd).map((e) => new Date(e.scheduleTime).toISOString())).toEqual(expected);
      expect(booted.runs.map((r) => r.schedule!.scheduleTime)).toEqual(expected);
    });
  });
});
