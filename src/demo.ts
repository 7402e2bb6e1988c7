import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DeadLetterService, JobEventBus, JobQueueService, QueueProvisioner, type EnqueuedJob, type JobEvent } from '@nest-cloud-tasks/core';
import type { CloudTasksEmulator } from '@nest-cloud-tasks/emulator';
import { AppModule } from './app.module.js';
import { createHttpApp } from './http-app.js';
import { loadAppEnv } from './config/app-env.js';
import { JOB_NAMES, type JobName } from './config/queue.config.js';
import { FakeGoogleApi } from './domain/fake-google-api.service.js';
import { SAMPLE_JOBS } from './jobs/sample-jobs.js';
import { startLocalInfrastructure } from './local-infrastructure.js';
import { SCHEDULE_CONFIGS } from './config/schedule.config.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

/** One scripted case: what to enqueue and what must happen. */
interface Scenario {
  label: string;
  run(jobs: JobQueueService): Promise<EnqueuedJob>;
  expect: { outcome: 'succeeded'; statuses: number[] } | { duplicateOf: string };
}

const TIME_SCALE = 100;

function scenarios(google: FakeGoogleApi): Scenario[] {
  const each: Scenario[] = JOB_NAMES.map((name: JobName) => ({
    label: name,
    run: (jobs) => jobs.add(name, SAMPLE_JOBS[name]),
    expect: { outcome: 'succeeded', statuses: [200] },
  }));
  return [
    ...each,
    {
      label: 'duplicate (same key again)',
      run: async (jobs) => {
        await jobs.add('calendar-sync', { userId: 'u2' }, { idempotencyKey: 'demo-sync-u2' });
        return jobs.add('calendar-sync', { userId: 'u2' }, { idempotencyKey: 'demo-sync-u2' });
      },
      expect: { duplicateOf: 'calendar-sync' },
    },
    {
      label: 'delayed 60 s (emulator clock)',
      run: (jobs) => jobs.add('notification-reminder', { userId: 'u2', reminderId: 'rem-2', channel: 'push' }, { delay: 60 }),
      expect: { outcome: 'succeeded', statuses: [200] },
    },
    {
      label: 'fails twice, then succeeds',
      run: (jobs) => {
        google.failNext('u2', 2, 'transient');
        return jobs.add('google-contacts-sync', { userId: 'u2' });
      },
      expect: { outcome: 'succeeded', statuses: [500, 500, 200] },
    },
    {
      label: 'permanent failure (revoked user)',
      run: (jobs) => jobs.add('token-refresh', { userId: 'u3' }),
      expect: { outcome: 'succeeded', statuses: [202] },
    },
  ];
}

async function main(): Promise<number> {
  const port = await freePort();
  const base = loadAppEnv({ NODE_ENV: 'development', PORT: String(port), EMULATOR_GRPC_PORT: '0', EMULATOR_HTTP_PORT: '0', EMULATOR_TIME_SCALE: String(TIME_SCALE), HTTP_ADAPTER: process.env.HTTP_ADAPTER });
  // NOTE: the emulator clock starts 5 minutes before the next full hour, so the hourly schedule ticks within seconds.
  const hour = 3_600_000;
  const clockStart = new Date(Math.ceil(Date.now() / hour) * hour - 5 * 60_000);
  const { env, emulator } = await startLocalInfrastructure(base, new Logger('Demo'), { clockStart });
  const app = await createHttpApp(AppModule.forRoot(env), env, { logger: ['error'] });
  await app.listen(port, '127.0.0.1');
  const fired: JobEvent[] = [];
  app.get(JobEventBus).subscribe((event) => {
    if (event.type === 'completed' && event.idempotencyKey.startsWith('schedule:')) fired.push(event);
  });
  await app.get(QueueProvisioner).sync();
  const jobs = app.get(JobQueueService);
  const rows: Array<{ job: string; outcome: string; attempts: string; latency: string; ok: boolean }> = [];
  try {
    for (const scenario of scenarios(app.get(FakeGoogleApi))) {
      const started = performance.now();
      const job = await scenario.run(jobs);
      if ('duplicateOf' in scenario.expect) {
        rows.push({ job: scenario.label, outcome: job.duplicate ? 'duplicate: one task' : 'second task created', attempts: '-', latency: `${(performance.now() - started).toFixed(0)} ms`, ok: job.duplicate });
        continue;
      }
      const finished = await emulator.waitForTask(job.taskName, { timeoutMs: 30_000 });
      const statuses = emulator.attempts.forTask(job.taskName).map((a) => a.status);
      const dead = statuses.at(-1) === 202 ? ' → dead letter' : '';
      const ok = finished.outcome === scenario.expect.outcome && JSON.stringify(statuses) === JSON.stringify(scenario.expect.statuses);
      rows.push({ job: scenario.label, outcome: `${finished.outcome}${dead}`, attempts: `${statuses.length} (${statuses.join(', ')})`, latency: `${(performance.now() - started).toFixed(0)} ms`, ok });
    }
    rows.push(await scheduledRow(emulator, fired));
    const dead = await app.get(DeadLetterService).list();
    rows.push({ job: 'dead letters recorded', outcome: dead.items.map((d) => `${d.jobName}: ${d.reason}`).join('; ') || 'none', attempts: '-', latency: '-', ok: dead.items.length === 1 && dead.items[0].jobName === 'token-refresh' });
  } finally {
    await app.close();
    await emulator.close();
  }
  console.table(rows.map(({ ok, ...row }) => ({ ...row, check: ok ? 'ok' : 'MISMATCH' })));
  const failed = rows.filter((r) => !r.ok).length;
  console.log(failed ? `${failed} row(s) did not match expectations` : `all ${rows.length} rows as expected on ${env.HTTP_ADAPTER} (emulator time scale ×${TIME_SCALE}, real OIDC tokens)`);
  return failed ? 1 : 0;
}

/** The hourly webhook-health-check schedule: its next tick fires (Cloud Scheduler, emulated), enqueues a task, which runs. */
async function scheduledRow(emulator: CloudTasksEmulator, fired: JobEvent[]): Promise<{ job: string; outcome: string; attempts: string; latency: string; ok: boolean }> {
  const schedule = SCHEDULE_CONFIGS.find((s) => s.job === 'webhook-health-check')!;
  const [execution] = await emulator.waitForExecutions('webhook-health-check', 1, { timeoutMs: 60_000 });
  const tick = new Date(execution.scheduleTime).toISOString();
  const key = `schedule:webhook-health-check:${tick}`;
  const until = Date.now() + 30_000;
  while (!fired.some((e) => e.idempotencyKey === key) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  const run = fired.find((e) => e.idempotencyKey === key);
  const fireAttempts = emulator.attempts.forJob('webhook-health-check');
  const taskAttempts = run ? emulator.attempts.forQueue('webhook-health-check-queue').filter((a) => a.taskId === run.taskName) : [];
  const fires = fireAttempts.map((a) => a.status);
  const task = taskAttempts.map((a) => a.status);
  const last = taskAttempts.at(-1);
  // NOTE: from the fire leaving the emulator to the fanned-out task's answer (real time).
  const latency = last && fireAttempts[0] ? `${Math.round(last.realTime + last.durationMs - fireAttempts[0].realTime)} ms (fire → task done)` : '-';
  return {
    job: `scheduled: webhook-health-check (${schedule.cron})`,
    outcome: run ? `fired for ${tick.replace('.000Z', 'Z')} → task succeeded` : `fired for ${tick}, task did not run`,
    attempts: `fire ${fires.join(', ')}; task ${task.join(', ') || '-'}`,
    latency,
    ok: execution.outcome === 'succeeded' && task.at(-1) === 200,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
