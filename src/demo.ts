import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DeadLetterService, JobQueueService, type EnqueuedJob } from '@nest-cloud-tasks/core';
import { AppModule } from './app.module.js';
import { freePort } from './dev/free-port.js';
import { createHttpApp } from './http-app.js';
import { loadAppEnv } from './config/app-env.js';
import { JOB_NAMES, type JobName } from './config/queue.config.js';
import { FakeGoogleApi } from './domain/fake-google-api.service.js';
import { SAMPLE_JOBS } from './jobs/sample-jobs.js';
import { startLocalInfrastructure } from './local-infrastructure.js';

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
  const { env, emulator } = await startLocalInfrastructure(base, new Logger('Demo'));
  const app = await createHttpApp(AppModule.forRoot(env), env, { logger: ['error'] });
  await app.listen(port, '127.0.0.1');
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
