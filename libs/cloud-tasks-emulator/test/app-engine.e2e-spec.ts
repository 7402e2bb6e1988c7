import type { CloudTasksClient } from '@google-cloud/tasks';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { clientFor, PARENT, queuePath, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

describe.each(['grpc', 'rest'] as const)('App Engine targets over %s', (transport) => {
  let emu: CloudTasksEmulator;
  let client: CloudTasksClient;
  let defaultService: CaptureServer;
  let worker: CaptureServer;
  let n = 0;

  beforeAll(async () => {
    defaultService = await startCaptureServer();
    worker = await startCaptureServer();
    // 1 s backoff at 100× = 10 ms per retry
    emu = await startEmulator({ timeScale: 100, keyFile: false, appEngineUrl: { default: defaultService.url, worker: worker.url } });
    client = clientFor(emu, { transport });
  });

  afterAll(async () => {
    await client.close();
    await emu.close();
    await defaultService.close();
    await worker.close();
  });

  const freshQueue = async (extra: Record<string, unknown> = {}) => {
    const name = queuePath(`ae-${transport}-${++n}`);
    await client.createQueue({ parent: PARENT, queue: { name, retryConfig: { minBackoff: { seconds: 1 }, maxBackoff: { seconds: 1 } }, ...extra } });
    return name;
  };

  it("dispatches Google's quickstart task to the app's base URL with the X-AppEngine-* headers and App Engine's user agent", async () => {
    const statuses = [500, 200];
    defaultService.requests.length = 0;
    defaultService.handler = (_req, res) => {
      res.statusCode = statuses[defaultService.requests.length - 1];
      res.end();
    };
    const parent = await freshQueue();
    // the shape of googleapis/nodejs-tasks' createTask sample (body as a base64 string)
    const [task] = await client.createTask({
      parent,
      task: { appEngineHttpRequest: { httpMethod: 'POST', relativeUri: '/log_payload?x=1', body: Buffer.from('hello').toString('base64') } },
    });
    expect(task.appEngineHttpRequest).toMatchObject({
      relativeUri: '/log_payload?x=1',
      httpMethod: 'POST',
      headers: { 'User-Agent': 'AppEngine-Google; (+http://code.google.com/appengine)', 'Content-Type': 'application/octet-stream' },
      appEngineRouting: { host: 'emu-project.appspot.com' },
    });
    expect(task.httpRequest).toBeFalsy();
    expect((await emu.waitForTask(task.name!)).outcome).toBe('succeeded');
    const [first, second] = defaultService.requests;
    expect(second).toMatchObject({ method: 'POST', url: '/log_payload?x=1', body: Buffer.from('hello') });
    expect(second.headers).toMatchObject({
      'user-agent': 'AppEngine-Google; (+http://code.google.com/appengine)',
      'content-type': 'application/octet-stream',
      'x-appengine-queuename': parent.split('/').pop(),
      'x-appengine-taskname': task.name!.split('/').pop(),
      'x-appengine-taskretrycount': '1',
      'x-appengine-taskexecutioncount': '0',
      'x-appengine-taskpreviousresponse': '500',
      'x-appengine-taskretryreason': 'HTTP 500',
    });
    expect(Number(second.headers['x-appengine-tasketa'])).toBeGreaterThan(0);
    expect(first.headers['x-appengine-taskpreviousresponse']).toBeUndefined();
    expect(Object.keys(second.headers).some((h) => h.startsWith('x-cloudtasks-'))).toBe(false);
    expect(second.headers.authorization).toBeUndefined();
  });

  it("routes by service, keeps the task's own user agent and content type, and lets the queue's routing override win", async () => {
    worker.requests.length = 0;
    defaultService.requests.length = 0;
    worker.handler = defaultService.handler = (_req, res) => res.end();
    const parent = await freshQueue();
    const [routed] = await client.createTask({
      parent,
      task: {
        appEngineHttpRequest: {
          relativeUri: '/work',
          appEngineRouting: { service: 'worker', version: 'v2' },
          headers: { 'User-Agent': 'my-app', 'Content-Type': 'application/json', 'X-AppEngine-QueueName': 'spoofed' },
          body: Buffer.from('{}'),
        },
      },
    });
    expect(routed.appEngineHttpRequest?.appEngineRouting).toMatchObject({ service: 'worker', version: 'v2', host: 'v2.worker.emu-project.appspot.com' });
    await emu.waitForTask(routed.name!);
    expect(worker.requests[0].headers).toMatchObject({
      'user-agent': 'my-app AppEngine-Google; (+http://code.google.com/appengine)',
      'content-type': 'application/json',
      'x-appengine-queuename': parent.split('/').pop(),
    });

    const overridden = await freshQueue({ appEngineRoutingOverride: { service: 'worker' } });
    const [task] = await client.createTask({ parent: overridden, task: { appEngineHttpRequest: { relativeUri: '/over', appEngineRouting: { service: 'default' } } } });
    await emu.waitForTask(task.name!);
    expect(worker.requests.map((r) => r.url)).toContain('/over');
    expect(defaultService.requests).toHaveLength(0);
    const [queue] = await client.getQueue({ name: overridden });
    expect(queue.appEngineRoutingOverride).toMatchObject({ service: 'worker', host: 'worker.emu-project.appspot.com' });
  });
});
