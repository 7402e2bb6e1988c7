import type { CloudTasksClient } from '@google-cloud/tasks';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import { resolveCloudTasksOptions } from '../options/resolved-options.js';
import { testOptions } from '../testing/index.js';
import { CloudTasksClientHost } from './cloud-tasks-client.host.js';

function clientWith(initialize: () => Promise<unknown>, close = async () => undefined) {
  const calls: string[] = [];
  const client = {
    initialize: () => (calls.push('initialize'), initialize()),
    close: () => (calls.push('close'), close()),
  } as unknown as CloudTasksClient;
  return { client, calls };
}

const options = resolveCloudTasksOptions(testOptions());

describe('CloudTasksClientHost', () => {
  it('initialises the provided client once, on first use, and closes it on shutdown', async () => {
    const { client, calls } = clientWith(async () => ({}));
    const host = new CloudTasksClientHost(options, client);
    expect(calls).toEqual([]);
    const [first, second] = await Promise.all([host.client(), host.client()]);
    expect(first).toBe(client);
    expect(second).toBe(client);
    await host.onApplicationShutdown();
    expect(calls).toEqual(['initialize', 'close']);
  });

  it('does not build or close a client that was never used', async () => {
    const { client, calls } = clientWith(async () => ({}));
    await new CloudTasksClientHost(options, client).onApplicationShutdown();
    expect(calls).toEqual([]);
  });

  it('rejects with a message naming the fix when credentials are missing, instead of a later unhandled rejection', async () => {
    const { client } = clientWith(async () => {
      throw new Error('Could not load the default credentials.');
    });
    const host = new CloudTasksClientHost(options, client);
    await expect(host.client()).rejects.toThrow(CloudTasksConfigError);
    await expect(host.client()).rejects.toThrow(/\(Could not load the default credentials\)\. .*GOOGLE_APPLICATION_CREDENTIALS.*CLOUD_TASKS_EMULATOR_HOST/);
    await expect(host.onApplicationShutdown()).resolves.toBeUndefined();
  });

  it('leaves clients without initialize() (test doubles) alone', async () => {
    const fake = { close: async () => undefined } as unknown as CloudTasksClient;
    await expect(new CloudTasksClientHost(options, fake).client()).resolves.toBe(fake);
  });

  it('builds a real client on first use when none is provided (emulator host: no credential lookup)', async () => {
    const host = new CloudTasksClientHost({ ...options, emulatorHost: '127.0.0.1:1' }, null);
    const client = await host.client();
    expect(typeof client.createTask).toBe('function');
    await host.onApplicationShutdown();
  });
});
