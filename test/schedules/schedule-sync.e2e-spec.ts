import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { startEmulator, createSchedulerEmulatorClient, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import { CloudSchedulerClientHost, QueueProvisioner, ScheduleConfigError, type ScheduleConfig } from '../../libs/cloud-tasks/src/index.js';
import { SCHEDULE_INVALID_DATA, SCHEDULE_WITHOUT_HANDLER, INVALID_SCHEDULES } from '../../libs/cloud-tasks/src/schedules/schedule.messages.js';
import { bootScheduleApp, jobPath, PARENT, SERVICE_ACCOUNT, type ScheduleApp } from './support/schedule-app.js';

const SERVICE_URL = 'https://schedules.example.run.app';

/** The schedules of the first sync; later tests change one thing each. */
const SCHEDULES: ScheduleConfig[] = [
  { job: 'digest', cron: '0 8 * * 1', timeZone: 'Europe/Paris', data: { edition: 'weekly' }, retry: { retryCount: 2, minBackoffDuration: '30s' }, attemptDeadlineSeconds: 60 },
  { job: 'ping', id: 'ping-hourly', cron: '0 * * * *' },
  { job: 'ping', id: 'ping-paused', cron: '*/5 * * * *', paused: true },
];

// NOTE: one emulator for the file; the tests run in order, each from the jobs the previous one left (as successive
// runs of the sync at successive deploys would).
describe('Schedule sync against the emulator (real @google-cloud/scheduler client)', () => {
  let emulator: CloudTasksEmulator;
  let admin: CloudSchedulerClient;
  const open: ScheduleApp[] = [];

  async function provisioning(schedules: ScheduleConfig[] = SCHEDULES) {
    const booted = await bootScheduleApp({ emulator, serviceUrl: SERVICE_URL, schedules });
    open.push(booted);
    const client = await booted.app.get(CloudSchedulerClientHost).client();
    const writes = {
      create: jest.spyOn(client, 'createJob'),
      update: jest.spyOn(client, 'updateJob'),
      remove: jest.spyOn(client, 'deleteJob'),
      pause: jest.spyOn(client, 'pauseJob'),
      resume: jest.spyOn(client, 'resumeJob'),
    };
    return { provisioner: booted.app.get(QueueProvisioner), writes };
  }
  const getJob = async (id: string) => (await admin.getJob({ name: jobPath(id) }))[0];
  const jobIds = async () => (await admin.listJobs({ parent: PARENT }))[0].map((j) => j.name!.split('/').pop()).sort();

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, timeScale: 1 });
    admin = createSchedulerEmulatorClient(emulator.grpcAddress);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    for (const booted of open) await booted.close();
    await admin.close();
    await emulator.close();
  });

  it('creates the schedules from nothing: cron, time zone, target, OIDC audience, body, retry, deadline, state', async () => {
    expect(await jobIds()).toEqual([]);
    const { provisioner } = await provisioning();

    const report = await provisioner.sync();

    expect(report.scheduleCounts()).toEqual({ create: 3, update: 0, delete: 0, unchanged: 0, unmanaged: 0 });
    expect(report.schedules!.every((s) => s.applied)).toBe(true);
    expect(await jobIds()).toEqual(['digest', 'ping-hourly', 'ping-paused']);
    const digest = await getJob('digest');
    expect(digest).toMatchObject({
      schedule: '0 8 * * 1',
      timeZone: 'Europe/Paris',
      state: 'ENABLED',
      httpTarget: {
        uri: `${SERVICE_URL}/api/jobs/digest`,
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json' },
        oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT, audience: SERVICE_URL },
      },
      retryConfig: { retryCount: 2, minBackoffDuration: { seconds: '30' }, maxBackoffDuration: { seconds: '3600' }, maxDoublings: 5 },
      attemptDeadline: { seconds: '60' },
    });
    expect(JSON.parse(Buffer.from(digest.httpTarget!.body!).toString())).toEqual({ schedule: 'digest', data: { edition: 'weekly' } });
    expect((await getJob('ping-paused')).state).toBe('PAUSED');
    expect((await getJob('ping-hourly')).timeZone).toBe('Etc/UTC');
    expect(report.format()).toContain('Cloud Scheduler jobs in projects/schedules-project/locations/europe-west1');
    expect(report.format()).toContain('+ digest [digest]: created');
    expect(report.scheduleSummary()).toBe('3 schedules: 3 created.');
  });

  it('an unchanged config reports every schedule unchanged and writes nothing', async () => {
    const { provisioner, writes } = await provisioning();

    const report = await provisioner.sync();

    expect(report.scheduleCounts()).toMatchObject({ unchanged: 3, create: 0, update: 0 });
    expect(report.hasChanges).toBe(false);
    for (const spy of Object.values(writes)) expect(spy).not.toHaveBeenCalled();
  });

  it('a changed cron is one update whose mask and diff name exactly that field', async () => {
    const changed = SCHEDULES.map((s) => (s.job === 'digest' ? { ...s, cron: '0 9 * * 1' } : s));
    const { provisioner, writes } = await provisioning(changed);

    const report = await provisioner.sync();

    expect(report.scheduleCounts()).toMatchObject({ update: 1, unchanged: 2, create: 0, delete: 0 });
    expect(report.scheduleEntry('digest')).toMatchObject({ action: 'update', applied: true, updateMask: ['schedule'], changes: [{ field: 'schedule', from: '0 8 * * 1', to: '0 9 * * 1' }] });
    expect(writes.update).toHaveBeenCalledTimes(1);
    expect(writes.update.mock.calls[0][0]).toMatchObject({ updateMask: { paths: ['schedule'] } });
    expect(writes.create).not.toHaveBeenCalled();
    expect((await getJob('digest')).schedule).toBe('0 9 * * 1');
    expect(report.format()).toMatch(/~ digest \[digest\]: updated\n\s+schedule\s+0 8 \* \* 1 → 0 9 \* \* 1\n/);
  });

  it('a dry run reports the diff (time zone, target, retry, paused) and changes nothing', async () => {
    const changed = SCHEDULES.map((s) =>
      s.job === 'digest' ? { ...s, cron: '0 9 * * 1', timeZone: 'America/New_York', retry: { retryCount: 4 } } : s.id === 'ping-paused' ? { ...s, paused: false } : s,
    );
    const booted = await bootScheduleApp({ emulator, serviceUrl: 'https://new-url.example.run.app', schedules: changed });
    open.push(booted);
    const client = await booted.app.get(CloudSchedulerClientHost).client();
    const spies = ['createJob', 'updateJob', 'deleteJob', 'pauseJob', 'resumeJob'].map((m) => jest.spyOn(client, m as 'createJob'));

    const report = await booted.app.get(QueueProvisioner).sync({ dryRun: true });

    expect(report.dryRun).toBe(true);
    expect(report.scheduleEntry('digest')).toMatchObject({
      action: 'update',
      applied: false,
      updateMask: ['time_zone', 'http_target.uri', 'http_target.oidc_token', 'retry_config.retry_count', 'retry_config.min_backoff_duration'],
    });
    expect(report.scheduleEntry('digest')!.changes).toContainEqual({ field: 'time_zone', from: 'Europe/Paris', to: 'America/New_York' });
    expect(report.scheduleEntry('digest')!.changes).toContainEqual({ field: 'http_target.uri', from: `${SERVICE_URL}/api/jobs/digest`, to: 'https://new-url.example.run.app/api/jobs/digest' });
    expect(report.scheduleEntry('ping-paused')).toMatchObject({ action: 'update', updateMask: ['http_target.uri', 'http_target.oidc_token', 'state'] });
    expect(report.scheduleEntry('ping-paused')!.changes).toContainEqual({ field: 'state', from: 'PAUSED', to: 'ENABLED' });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(await getJob('digest')).toMatchObject({ timeZone: 'Europe/Paris', retryConfig: { retryCount: 2 }, httpTarget: { uri: `${SERVICE_URL}/api/jobs/digest` } });
    expect((await getJob('ping-paused')).state).toBe('PAUSED');
    expect(report.format()).toContain('~ digest [digest]: would update');
    expect(report.scheduleSummary()).toBe('3 schedules: 3 to update.');
  });

  it('pauses and resumes a Cloud Scheduler job to match `paused`', async () => {
    const resumed = SCHEDULES.map((s) => (s.job === 'digest' ? { ...s, cron: '0 9 * * 1' } : s.id === 'ping-paused' ? { ...s, paused: false } : s));
    const { provisioner, writes } = await provisioning(resumed);

    const report = await provisioner.sync();

    expect(report.scheduleEntry('ping-paused')).toMatchObject({ action: 'update', applied: true, updateMask: ['state'] });
    expect(writes.resume).toHaveBeenCalledTimes(1);
    expect(writes.update).not.toHaveBeenCalled();
    expect((await getJob('ping-paused')).state).toBe('ENABLED');
  });

  it('reports jobs not in the config, deletes only with prune (never in a dry run), and never another service’s', async () => {
    const target = (uri: string) => ({ uri, oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT } });
    await admin.createJob({ parent: PARENT, job: { name: jobPath('old-report'), schedule: '0 3 * * *', httpTarget: target(`${SERVICE_URL}/api/jobs/ping`) } });
    await admin.createJob({ parent: PARENT, job: { name: jobPath('billing-close'), schedule: '0 0 1 * *', httpTarget: target('https://billing.example.run.app/close') } });
    const current = SCHEDULES.map((s) => (s.job === 'digest' ? { ...s, cron: '0 9 * * 1' } : s.id === 'ping-paused' ? { ...s, paused: false } : s));
    const { provisioner, writes } = await provisioning(current);

    const kept = await provisioner.sync();
    expect(kept.scheduleEntry('old-report')).toMatchObject({ action: 'unmanaged', job: 'ping', applied: false });
    expect(kept.scheduleEntry('billing-close')).toMatchObject({ action: 'unmanaged', foreign: true });
    expect(kept.format()).toContain('? old-report [ping]: not in the config, kept (--prune deletes it)');
    expect(kept.format()).toContain('? billing-close: not in the config, targets another service: kept');

    const planned = await provisioner.sync({ prune: true, dryRun: true });
    expect(planned.scheduleEntry('old-report')).toMatchObject({ action: 'delete', applied: false });
    expect(planned.scheduleEntry('billing-close')).toMatchObject({ action: 'unmanaged', foreign: true });
    expect(writes.remove).not.toHaveBeenCalled();
    expect(await jobIds()).toContain('old-report');

    const pruned = await provisioner.sync({ prune: true });
    expect(pruned.scheduleEntry('old-report')).toMatchObject({ action: 'delete', applied: true });
    expect(writes.remove).toHaveBeenCalledTimes(1);
    expect(await jobIds()).toEqual(['billing-close', 'digest', 'ping-hourly', 'ping-paused']);
  });

  it('fails app.init() for a schedule whose job has no handler, or whose data the handler refuses', async () => {
    await expect(bootScheduleApp({ emulator, serviceUrl: SERVICE_URL, schedules: [{ job: 'ping', cron: '0 * * * *' }], processors: false })).rejects.toThrow(
      new ScheduleConfigError(INVALID_SCHEDULES([SCHEDULE_WITHOUT_HANDLER('ping', 'ping')])),
    );
    await expect(bootScheduleApp({ emulator, serviceUrl: SERVICE_URL, schedules: [{ job: 'digest', cron: '0 * * * *', data: { edition: 7 } }] })).rejects.toThrow(
      new ScheduleConfigError(INVALID_SCHEDULES([SCHEDULE_INVALID_DATA('digest', 'digest', 'DigestPayload', 'Invalid payload: data.edition: edition must be a string')])),
    );
  });

  it('fails at boot for a bad cron, a bad time zone or a job without a queue, naming the schedule, its job and the fix', async () => {
    const boot = (schedules: ScheduleConfig[]) => bootScheduleApp({ emulator, serviceUrl: SERVICE_URL, schedules });
    await expect(boot([{ job: 'ping', cron: '0 */6 * *' }])).rejects.toThrow(/schedules\[0\] \(schedule "ping", job "ping"\): cron "0 \*\/6 \* \*" has 4 fields; Cloud Scheduler takes exactly five/);
    await expect(boot([{ job: 'ping', cron: '61 * * * *' }])).rejects.toThrow(/cron "61 \* \* \* \*" is invalid \(Invalid value for minute: 61\)/);
    await expect(boot([{ job: 'ping', cron: '0 8 * * *', timeZone: 'Europe/Pariss' }])).rejects.toThrow(/timeZone "Europe\/Pariss" is not an IANA time zone/);
    await expect(boot([{ job: 'report', cron: '0 8 * * *' }])).rejects.toThrow(/job "report" has no queue config: add "report" to the "queues" option/);
    await expect(boot([{ job: 'ping', cron: '0 8 * * *' }, { job: 'ping', cron: '0 9 * * *' }])).rejects.toThrow(/id "ping" is also the id of schedules\[0\]: give each schedule of a job its own id/);
  });
});
