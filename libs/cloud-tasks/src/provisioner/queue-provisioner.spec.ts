import 'reflect-metadata';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import { resolveCloudTasksOptions } from '../options/resolved-options.js';
import { grpcError, queueConfig, testOptions } from '../testing/index.js';
import { ProvisionReport } from './provision-report.js';
import { QueueProvisionError } from '../errors/queue-provision.error.js';
import { CloudTasksClientHost } from '../queue/cloud-tasks-client.host.js';
import { QueueProvisioner } from './queue-provisioner.js';
import { queueMessage, desiredSettings } from './queue-settings.js';

type IQueue = protos.google.cloud.tasks.v2.IQueue;
const PARENT = 'projects/demo-project/locations/us-central1';

/** An in-memory stand-in for the queue admin calls, with scripted failures per queue and method. */
class FakeQueueAdmin {
  readonly queues = new Map<string, IQueue>();
  readonly calls: string[] = [];
  readonly failures = new Map<string, Error>();

  async listQueues({ parent }: { parent: string }): Promise<[IQueue[]]> {
    this.calls.push(`list ${parent}`);
    const failure = this.failures.get('list');
    if (failure) throw failure;
    return [[...this.queues.values()].filter((q) => q.name!.startsWith(`${parent}/queues/`))];
  }
  async createQueue({ queue }: { parent: string; queue: IQueue }): Promise<[IQueue]> {
    this.calls.push(`create ${queue.name}`);
    const failure = this.failures.get(`create ${queue.name}`);
    if (failure) throw failure;
    this.queues.set(queue.name!, queue);
    return [queue];
  }
  async updateQueue({ queue, updateMask }: { queue: IQueue; updateMask: { paths: string[] } }): Promise<[IQueue]> {
    this.calls.push(`update ${queue.name} ${updateMask.paths.join(',')}`);
    const failure = this.failures.get(`update ${queue.name}`);
    if (failure) throw failure;
    return [queue];
  }
  async deleteQueue({ name }: { name: string }): Promise<[object]> {
    this.calls.push(`delete ${name}`);
    this.queues.delete(name);
    return [{}];
  }
  seed(id: string, config: QueueConfig): void {
    this.queues.set(`${PARENT}/queues/${id}`, queueMessage(`${PARENT}/queues/${id}`, desiredSettings(config)));
  }
}

/** The module's client host, with `admin` provided as the client. */
function hostOf(admin: FakeQueueAdmin): CloudTasksClientHost {
  return new CloudTasksClientHost(resolveCloudTasksOptions(testOptions()), admin as unknown as CloudTasksClient);
}

function provisionerFor(queues: Record<string, QueueConfig>, admin = new FakeQueueAdmin(), extra = {}) {
  const options = resolveCloudTasksOptions(testOptions({ queues, ...extra }));
  return { provisioner: new QueueProvisioner(hostOf(admin), options), admin };
}

describe('QueueProvisioner', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('plans from the config and the listed queues, and applies one call per change in queue order', async () => {
    const { provisioner, admin } = provisionerFor({ b: queueConfig('b-queue'), a: queueConfig('a-queue', { maxAttempts: 2 }) });
    admin.seed('a-queue', queueConfig('a-queue'));
    admin.seed('z-queue', queueConfig('z-queue'));

    const report = await provisioner.sync({ prune: true });

    expect(admin.calls).toEqual([`list ${PARENT}`, `update ${PARENT}/queues/a-queue retry_config.max_attempts`, `create ${PARENT}/queues/b-queue`, `delete ${PARENT}/queues/z-queue`]);
    expect(report.queues.map((q) => [q.queue, q.action, q.applied])).toEqual([
      ['a-queue', 'update', true],
      ['b-queue', 'create', true],
      ['z-queue', 'delete', true],
    ]);
  });

  it('attempts every change, then throws with the report when some failed, each failure with its cause', async () => {
    const { provisioner, admin } = provisionerFor({ a: queueConfig('a-queue'), b: queueConfig('b-queue'), c: queueConfig('c-queue') });
    admin.failures.set(`create ${PARENT}/queues/a-queue`, grpcError(9, '9 FAILED_PRECONDITION: The queue cannot be created because a queue with this name existed too recently.'));

    const error = (await provisioner.sync().catch((e: unknown) => e)) as QueueProvisionError;

    expect(error).toBeInstanceOf(QueueProvisionError);
    expect(error.report).toBeInstanceOf(ProvisionReport);
    expect(admin.calls.filter((c) => c.startsWith('create'))).toHaveLength(3);
    expect(error.report!.entry('a-queue')).toMatchObject({ applied: false, error: expect.stringContaining('re-create a queue id for up to 7 days') });
    expect(error.report!.entry('b-queue')).toMatchObject({ applied: true });
    expect(error.message).toMatch(/^Queue provisioning in projects\/demo-project\/locations\/us-central1 failed for 1 queue\(s\):\n  a-queue \(create\): 9 FAILED_PRECONDITION/);
    expect(error.report!.summary()).toBe('3 queues: 2 created, 1 FAILED.');
  });

  it('names the cause when the queues cannot be listed', async () => {
    const { provisioner, admin } = provisionerFor({ a: queueConfig('a-queue') });
    admin.failures.set('list', grpcError(7, '7 PERMISSION_DENIED: The caller does not have permission'));
    await expect(provisioner.sync()).rejects.toThrow(
      `Could not list the Cloud Tasks queues of ${PARENT}: 7 PERMISSION_DENIED: The caller does not have permission (the caller needs the Cloud Tasks Admin role (roles/cloudtasks.admin or roles/cloudtasks.queueAdmin) on project demo-project, and the Cloud Tasks API must be enabled)`,
    );
    admin.failures.set('list', grpcError(16, '16 UNAUTHENTICATED: no credentials'));
    await expect(provisioner.sync()).rejects.toThrow(/gcloud auth application-default login/);
  });

  it('keeps a google-gax retry error short and reads the cause in it; initialises the client first', async () => {
    const { provisioner, admin } = provisionerFor({ a: queueConfig('a-queue') }, new FakeQueueAdmin(), { emulatorHost: '127.0.0.1:8123' });
    const gax = '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:8123. Resolution note: ';
    admin.failures.set('list', grpcError(4, `Total timeout of API google.cloud.tasks.v2.CloudTasks exceeded 20000 milliseconds retrying error Error: ${gax} : Previous errors : [{message: ${gax}}, {message: ${gax}}]`));
    await expect(provisioner.sync()).rejects.toThrow(
      `Could not list the Cloud Tasks queues of ${PARENT}: Total timeout of API google.cloud.tasks.v2.CloudTasks exceeded 20000 milliseconds retrying error Error: 14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:8123. (is the Cloud Tasks emulator running at 127.0.0.1:8123 (CLOUD_TASKS_EMULATOR_HOST)?)`,
    );

    const initialize = async () => {
      throw new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.');
    };
    const noCredentials = Object.assign(new FakeQueueAdmin(), { initialize });
    const { provisioner: withoutCredentials } = provisionerFor({ a: queueConfig('a-queue') }, noCredentials);
    await expect(withoutCredentials.sync()).rejects.toThrow(/Could not load the default credentials\. .* \(no usable Google credentials: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS\)$/);
    expect(noCredentials.calls).toEqual([]);
  });

  it('ignores queues of other locations and changes nothing in a dry run', async () => {
    const admin = new FakeQueueAdmin();
    admin.queues.set('projects/demo-project/locations/europe-west1/queues/other', { name: 'projects/demo-project/locations/europe-west1/queues/other' });
    const { provisioner } = provisionerFor({ a: queueConfig('a-queue') }, admin);

    const report = await provisioner.sync({ dryRun: true, prune: true });

    expect(report.queues.map((q) => [q.queue, q.action, q.applied])).toEqual([['a-queue', 'create', false]]);
    expect(admin.calls).toEqual([`list ${PARENT}`]);
  });

  it('accepts jobs sharing a queue with identical settings and refuses different ones before any call', async () => {
    const admin = new FakeQueueAdmin();
    const same = new QueueProvisioner(hostOf(admin), { ...resolveCloudTasksOptions(testOptions()), queues: { a: queueConfig('shared'), b: queueConfig('shared') } });
    expect((await same.sync({ dryRun: true })).entry('shared')).toMatchObject({ jobs: ['a', 'b'], action: 'create' });

    const different = new QueueProvisioner(hostOf(admin), {
      ...resolveCloudTasksOptions(testOptions()),
      queues: { a: queueConfig('shared'), b: queueConfig('shared', { maxAttempts: 9 }) },
    });
    admin.calls.length = 0;
    await expect(different.sync()).rejects.toThrow('Jobs "a" and "b" configure queue "shared" differently (retry_config.max_attempts): give each job its own queue or the same settings.');
    expect(admin.calls).toEqual([]);
  });
});
