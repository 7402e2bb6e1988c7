import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { PARENT, queuePath, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

/** The HTTP/JSON API as plain HTTP tools (curl, fetch, other languages' REST clients) use it. */
describe('REST API over plain HTTP', () => {
  let emu: CloudTasksEmulator;
  let capture: CaptureServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}/v2/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 100, keyFile: false });
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await capture.close();
    await emu.close();
  });

  it('creates a queue and a task in proto3 JSON (durations, timestamps, base64 bytes, enum names), snake_case accepted', async () => {
    const queue = queuePath('rest-plain');
    const created = await call('POST', `${PARENT}/queues`, { name: queue, retry_config: { max_attempts: 3, min_backoff: '0.5s' } });
    expect(created).toEqual({
      status: 200,
      json: {
        name: queue,
        rateLimits: { maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 1000 },
        retryConfig: { maxAttempts: 3, minBackoff: '0.5s', maxBackoff: '3600s', maxDoublings: 16 },
        state: 'RUNNING',
      },
    });
    const scheduleTime = new Date(Date.now() + 3_600_000).toISOString();
    const task = await call('POST', `${queue}/tasks`, {
      task: { scheduleTime, httpRequest: { url: `${capture.url}/job`, httpMethod: 'PUT', body: Buffer.from('{"a":1}').toString('base64') } },
      responseView: 'FULL',
    });
    expect(task.status).toBe(200);
    expect(task.json).toMatchObject({
      view: 'FULL',
      httpRequest: { url: `${capture.url}/job`, httpMethod: 'PUT', body: Buffer.from('{"a":1}').toString('base64'), headers: { 'User-Agent': 'Google-Cloud-Tasks' } },
      dispatchDeadline: '600s',
    });
    expect(task.json.scheduleTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(task.json.dispatchCount).toBeUndefined(); // default values are left out, as the service does

    const listed = await call('GET', `${queue}/tasks?responseView=BASIC&pageSize=10`);
    expect(listed.json.tasks).toHaveLength(1);
    expect(listed.json.tasks[0].httpRequest.body).toBeUndefined();

    const ran = await call('POST', `${task.json.name}:run`, {});
    expect(ran.json.dispatchCount).toBe(1);
    expect((await emu.waitForTask(task.json.name)).outcome).toBe('succeeded');
    expect(capture.requests.at(-1)).toMatchObject({ method: 'PUT', body: Buffer.from('{"a":1}') });
  });

  it('pauses, resumes, purges, patches with an update mask in the query, and deletes', async () => {
    const queue = queuePath('rest-verbs');
    await call('POST', `${PARENT}/queues`, { name: queue });
    expect((await call('POST', `${queue}:pause`, {})).json.state).toBe('PAUSED');
    expect((await call('POST', `${queue}:resume`, {})).json.state).toBe('RUNNING');
    expect((await call('POST', `${queue}:purge`, {})).json.purgeTime).toBeDefined();
    const patched = await call('PATCH', `${queue}?updateMask=rateLimits.maxConcurrentDispatches`, { rateLimits: { maxConcurrentDispatches: 7, maxDispatchesPerSecond: 1 } });
    expect(patched.json.rateLimits).toEqual({ maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 7 });
    expect(await call('DELETE', queue)).toEqual({ status: 200, json: {} });
  });

  it("answers errors in Google's shape with the gRPC status name and the matching HTTP status", async () => {
    expect(await call('GET', queuePath('nope'))).toEqual({
      status: 404,
      json: { error: { code: 404, status: 'NOT_FOUND', message: expect.stringContaining('Queue does not exist.') } },
    });
    expect(await call('POST', `${PARENT}/queues`, { name: queuePath('x'), colour: 'red' })).toEqual({
      status: 400,
      json: { error: { code: 400, status: 'INVALID_ARGUMENT', message: `Invalid JSON payload received. Unknown name "colour" at 'queue': Cannot find field.` } },
    });
    const bad = await fetch(`${emu.url}/v2/${PARENT}/queues`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect((await call('GET', 'projects/p/nothing-here')).json.error.status).toBe('NOT_FOUND');
  });
});
