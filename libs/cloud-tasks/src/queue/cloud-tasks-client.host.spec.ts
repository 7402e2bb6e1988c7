import type { CloudTasksClient } from '@google-cloud/tasks';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import { CloudTasksClientHost } from './cloud-tasks-client.host.js';

function clientWith(initialize: () => Promise<unknown>, close = async () => undefined) {
  const calls: string[] = [];
  const client = {
    initialize: () => (calls.push('initialize'), initialize()),
    close: () => (calls.push('close'), close()),
  } as unknown as CloudTasksClient;
  return { client, calls };
}

describe('CloudTasksClientHost', () => {
  it('initialises the client at boot and closes it on shutdown', async () => {
    const { client, calls } = clientWith(async () => ({}));
    const host = new CloudTasksClientHost(client);
    await host.onApplicationBootstrap();
    await host.onApplicationShutdown();
    expect(calls).toEqual(['initialize', 'close']);
  });

  it('fails boot with a message naming the fix when credentials are missing, instead of a later unhandled rejection', async () => {
    const { client } = clientWith(async () => {
      throw new Error('Could not load the default credentials.');
    });
    const boot = new CloudTasksClientHost(client).onApplicationBootstrap();
    await expect(boot).rejects.toThrow(CloudTasksConfigError);
    await expect(boot).rejects.toThrow(/\(Could not load the default credentials\)\. .*GOOGLE_APPLICATION_CREDENTIALS.*CLOUD_TASKS_EMULATOR_HOST/);
  });

  it('leaves clients without initialize() (test doubles) alone', async () => {
    const host = new CloudTasksClientHost({ close: async () => undefined } as unknown as CloudTasksClient);
    await expect(host.onApplicationBootstrap()).resolves.toBeUndefined();
  });
});
