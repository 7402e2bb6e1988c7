import { status } from '@grpc/grpc-js';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { clientFor, grpcCode, PARENT, queuePath, rpcError, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

const DAY_S = 24 * 3600;
const inSeconds = (s: number) => ({ seconds: Math.floor(Date.now() / 1000) + s });

describe.each(['grpc', 'rest'] as const)('CloudTasks API through the real @google-cloud/tasks client over %s', (transport) => {
  let emu: CloudTasksEmulator;
  let client: CloudTasksClient;
  let capture: CaptureServer;
  let n = 0;
  const freshQueue = async (overrides: Record<string, unknown> = {}) => {
    const name = queuePath(`q-${++n}`);
    const [queue] = await client.createQueue({ parent: PARENT, queue: { name, ...overrides } });
    return queue;
  };
  const laterTask = (name?: string, body = 'payload') => ({
    name,
    scheduleTime: inSeconds(DAY_S),
    httpRequest: { url: `${capture.url}/work`, body: Buffer.from(body), headers: { 'Content-Type': 'application/json', 'X-Custom': 'Kept' } },
  });

  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 100 });
    client = clientFor(emu, { transport });
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  describe('queues', () => {
    it('creates a queue with the service defaults and gets it back', async () => {
      const queue = await freshQueue();
      expect(queue).toMatchObject({
        name: queuePath(`q-${n}`),
        state: 'RUNNING',
        rateLimits: { maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 1000 },
        retryConfig: { maxAttempts: 100, minBackoff: { seconds: '0', nanos: 100_000_000 }, maxBackoff: { seconds: '3600' }, maxDoublings: 16 },
      });
      const [got] = await client.getQueue({ name: queue.name });
      expect(got).toEqual(queue);
    });

    it('refuses an existing queue, a malformed name and an invalid config', async () => {
      const queue = await freshQueue();
      expect(await rpcError(client.createQueue({ parent: PARENT, queue: { name: queue.name } }))).toEqual({
        code: status.ALREADY_EXISTS,
        message: 'Queue already exists',
      });
      expect(await grpcCode(client.createQueue({ parent: PARENT, queue: { name: `${PARENT}/queues/bad_name` } }))).toBe(status.INVALID_ARGUMENT);
      expect(await grpcCode(client.createQueue({ parent: PARENT, queue: { name: 'queues/x' } }))).toBe(status.INVALID_ARGUMENT);
      expect(
        await rpcError(
          client.createQueue({
            parent: PARENT,
            queue: { name: queuePath('bad-config'), retryConfig: { minBackoff: { seconds: 10 }, maxBackoff: { seconds: 1 } } },
          }),
        ),
      ).toEqual({ code: status.INVALID_ARGUMENT, message: 'RetryConfig.minBackoff must be less than or equal to RetryConfig.maxBackoff.' });
    });

    it('answers NOT_FOUND for a missing queue', async () => {
      const name = queuePath('never-created');
      for (const call of [
        () => client.getQueue({ name }),
        () => client.pauseQueue({ name }),
        () => client.resumeQueue({ name }),
        () => client.purgeQueue({ name }),
        () => client.deleteQueue({ name }),
        () => client.listTasks({ parent: name }),
      ]) {
        expect(await grpcCode(call())).toBe(status.NOT_FOUND);
      }
    });

    it('lists queues in name order, page by page, with a state filter', async () => {
      const created = [await freshQueue(), await freshQueue(), await freshQueue()];
      await client.pauseQueue({ name: created[1].name });
      const [all] = await client.listQueues({ parent: PARENT });
      const names = all.map((q) => q.name!);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(expect.arrayContaining(created.map((q) => q.name)));

      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const [page, , response] = await client.listQueues({ parent: PARENT, pageSize: 2, pageToken }, { autoPaginate: false });
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...page.map((q) => q.name!));
        pageToken = response?.nextPageToken || undefined;
      } while (pageToken);
      expect(seen).toEqual(names);

      const [paused] = await client.listQueues({ parent: PARENT, filter: 'state: PAUSED' });
      expect(paused.map((q) => q.name)).toContain(created[1].name);
      expect(paused.every((q) => q.state === 'PAUSED')).toBe(true);
    });

    it('updates only the masked fields, or every mutable field without a mask, and creates a missing queue', async () => {
      const queue = await freshQueue({ retryConfig: { maxAttempts: 5, maxDoublings: 2 }, rateLimits: { maxDispatchesPerSecond: 10 } });
      const [masked] = await client.updateQueue({
        queue: { name: queue.name, retryConfig: { maxAttempts: 7 }, rateLimits: { maxDispatchesPerSecond: 1 } },
        updateMask: { paths: ['retry_config.max_attempts'] },
      });
      expect(masked.retryConfig).toMatchObject({ maxAttempts: 7, maxDoublings: 2 });
      expect(masked.rateLimits?.maxDispatchesPerSecond).toBe(10);

      const [replaced] = await client.updateQueue({ queue: { name: queue.name, rateLimits: { maxConcurrentDispatches: 3 } } });
      expect(replaced.retryConfig).toMatchObject({ maxAttempts: 100, maxDoublings: 16 });
      expect(replaced.rateLimits).toMatchObject({ maxDispatchesPerSecond: 500, maxConcurrentDispatches: 3 });

      const [upserted] = await client.updateQueue({ queue: { name: queuePath('made-by-update'), retryConfig: { maxAttempts: 3 } } });
      expect(upserted.retryConfig?.maxAttempts).toBe(3);
      expect(await grpcCode(client.updateQueue({ queue: { name: queue.name }, updateMask: { paths: ['nope'] } }))).toBe(status.INVALID_ARGUMENT);
    });

    it('pauses, resumes, purges and deletes', async () => {
      const queue = await freshQueue();
      expect((await client.pauseQueue({ name: queue.name }))[0].state).toBe('PAUSED');
      expect((await client.resumeQueue({ name: queue.name }))[0].state).toBe('RUNNING');

      await client.createTask({ parent: queue.name, task: laterTask() });
      await client.createTask({ parent: queue.name, task: laterTask() });
      expect((await client.listTasks({ parent: queue.name }))[0]).toHaveLength(2);
      const [purged] = await client.purgeQueue({ name: queue.name });
      expect(Number(purged.purgeTime?.seconds)).toBeGreaterThan(0);
      expect((await client.listTasks({ parent: queue.name }))[0]).toHaveLength(0);

      await client.deleteQueue({ name: queue.name });
      expect(await grpcCode(client.getQueue({ name: queue.name }))).toBe(status.NOT_FOUND);
    });

    it('answers the IAM methods as the service does for a caller with access: the empty policy, then what was set', async () => {
      const queue = await freshQueue();
      const [empty] = await client.getIamPolicy({ resource: queue.name });
      expect(empty.bindings ?? []).toEqual([]);
      expect(Buffer.from(empty.etag as Uint8Array).toString('base64')).toBe('ACAB');
      const binding = { role: 'roles/cloudtasks.enqueuer', members: ['serviceAccount:jobs@emu-project.iam.gserviceaccount.com'] };
      const [set] = await client.setIamPolicy({ resource: queue.name, policy: { bindings: [binding], etag: empty.etag } });
      expect(set.bindings).toEqual([expect.objectContaining(binding)]);
      expect((await client.getIamPolicy({ resource: queue.name }))[0].bindings).toEqual(set.bindings);
      // a read-modify-write with a stale etag is refused, as IAM does
      expect(await grpcCode(client.setIamPolicy({ resource: queue.name, policy: { bindings: [], etag: empty.etag } }))).toBe(status.ABORTED);
      const [granted] = await client.testIamPermissions({ resource: queue.name, permissions: ['cloudtasks.tasks.create', 'cloudtasks.queues.get'] });
      expect(granted.permissions).toEqual(['cloudtasks.tasks.create', 'cloudtasks.queues.get']);
      expect(await grpcCode(client.getIamPolicy({ resource: queuePath('no-such-queue') }))).toBe(status.NOT_FOUND);
    });
  });

  describe('tasks', () => {
    it('creates, gets, lists and deletes a named task; BASIC leaves out the body, FULL includes it', async () => {
      const queue = await freshQueue();
      const name = `${queue.name}/tasks/named-1`;
      const [created] = await client.createTask({ parent: queue.name, task: { ...laterTask(name), dispatchDeadline: { seconds: 30 } } });
      expect(created).toMatchObject({ name, view: 'BASIC', dispatchCount: 0, responseCount: 0, dispatchDeadline: { seconds: '30' } });
      expect(created.httpRequest).toMatchObject({
        url: `${capture.url}/work`,
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'Kept', 'User-Agent': 'Google-Cloud-Tasks' },
      });
      expect(created.httpRequest?.body?.length ?? 0).toBe(0);
      expect(Number(created.scheduleTime?.seconds) - Number(created.createTime?.seconds)).toBeGreaterThanOrEqual(DAY_S - 1);

      const [basic] = await client.getTask({ name });
      expect(basic.view).toBe('BASIC');
      expect(basic.httpRequest?.body?.length ?? 0).toBe(0);
      expect(basic.httpRequest?.headers?.['X-Custom']).toBe('Kept');
      const [full] = await client.getTask({ name, responseView: 'FULL' });
      expect(full.view).toBe('FULL');
      expect(Buffer.from(full.httpRequest!.body as Uint8Array).toString()).toBe('payload');
      const [createdFull] = await client.createTask({ parent: queue.name, task: laterTask(undefined, 'xyz'), responseView: 'FULL' });
      expect(Buffer.from(createdFull.httpRequest!.body as Uint8Array).toString()).toBe('xyz');

      const [listedBasic] = await client.listTasks({ parent: queue.name });
      expect(listedBasic.map((t) => t.name)).toContain(name);
      expect(listedBasic.every((t) => (t.httpRequest?.body?.length ?? 0) === 0)).toBe(true);
      const [listedFull] = await client.listTasks({ parent: queue.name, responseView: 'FULL' });
      expect(listedFull.every((t) => (t.httpRequest?.body?.length ?? 0) > 0)).toBe(true);

      await client.deleteTask({ name });
      expect(await rpcError(client.getTask({ name }))).toEqual({ code: status.NOT_FOUND, message: expect.stringContaining('existed recently') });
      expect(await grpcCode(client.deleteTask({ name }))).toBe(status.NOT_FOUND);
    });

    it('gives unnamed tasks distinct random hash-like ids', async () => {
      const queue = await freshQueue();
      const names = await Promise.all([1, 2, 3].map(async () => (await client.createTask({ parent: queue.name, task: laterTask() }))[0].name!));
      expect(new Set(names).size).toBe(3);
      for (const name of names) expect(name).toMatch(new RegExp(`^${queue.name}/tasks/[0-9a-f]{32}$`));
    });

    it('pages through tasks', async () => {
      const queue = await freshQueue();
      for (let i = 0; i < 5; i++) await client.createTask({ parent: queue.name, task: laterTask(`${queue.name}/tasks/t${i}`) });
      const [first, , response] = await client.listTasks({ parent: queue.name, pageSize: 2 }, { autoPaginate: false });
      expect(first.map((t) => t.name)).toEqual([`${queue.name}/tasks/t0`, `${queue.name}/tasks/t1`]);
      expect(response?.nextPageToken).toBeTruthy();
      const [all] = await client.listTasks({ parent: queue.name });
      expect(all).toHaveLength(5);
    });

    it('answers ALREADY_EXISTS for a live task, a deleted one and one that already ran', async () => {
      const queue = await freshQueue();
      const name = `${queue.name}/tasks/dedupe-me`;
      await client.createTask({ parent: queue.name, task: laterTask(name) });
      expect(await rpcError(client.createTask({ parent: queue.name, task: laterTask(name) }))).toEqual({
        code: status.ALREADY_EXISTS,
        message: 'Requested entity already exists',
      });

      const [ran] = await client.runTask({ name });
      expect(ran.dispatchCount).toBe(1);
      expect(ran.firstAttempt?.dispatchTime).toBeTruthy();
      const finished = await emu.waitForTask(name);
      expect(finished.outcome).toBe('succeeded');
      expect(await grpcCode(client.createTask({ parent: queue.name, task: laterTask(name) }))).toBe(status.ALREADY_EXISTS);
      expect(await grpcCode(client.runTask({ name }))).toBe(status.NOT_FOUND);
    });

    const invalid: [string, (queue: string) => protos.google.cloud.tasks.v2.ITask][] = [
      ['a malformed task id', (q) => ({ name: `${q}/tasks/not a valid id` })],
      ['a name in another queue', () => ({ name: `${queuePath('other')}/tasks/t1` })],
      ['a schedule over 30 days ahead', () => ({ scheduleTime: inSeconds(31 * DAY_S) })],
      ['a dispatch deadline under 15s', () => ({ dispatchDeadline: { seconds: 10 } })],
      ['a dispatch deadline over 30 min', () => ({ dispatchDeadline: { seconds: 1801 } })],
      ['a body over 1 MiB', () => ({ httpRequest: { url: 'http://127.0.0.1:9/x', body: Buffer.alloc(1024 * 1024 + 1) } })],
      ['a url without http(s)', () => ({ httpRequest: { url: 'ftp://example.com/x' } })],
      ['no url', () => ({ httpRequest: { url: '' } })],
      ['no http_request', () => ({ httpRequest: null })],
      ['a body on GET', () => ({ httpRequest: { url: 'http://127.0.0.1:9/x', httpMethod: 'GET', body: Buffer.from('x') } })],
    ];
    it.each(invalid)('answers INVALID_ARGUMENT for %s', async (_what, override) => {
      const queue = await freshQueue();
      const task = { ...laterTask(), ...override(queue.name!) };
      expect(await grpcCode(client.createTask({ parent: queue.name, task }))).toBe(status.INVALID_ARGUMENT);
    });

    it('accepts a task of exactly the size limit (body + headers + url)', async () => {
      const queue = await freshQueue();
      const url = `${capture.url}/work`;
      const headerBytes = 'X-A'.length + 'b'.length;
      const body = Buffer.alloc(1024 * 1024 - url.length - headerBytes);
      const task = { scheduleTime: inSeconds(DAY_S), httpRequest: { url, body, headers: { 'X-A': 'b' } } };
      expect(await grpcCode(client.createTask({ parent: queue.name, task }))).toBe('ok');
    });

    it('answers FAILED_PRECONDITION for a task into a missing or recently deleted queue, NOT_FOUND for missing tasks', async () => {
      const queue = await freshQueue();
      expect(await rpcError(client.createTask({ parent: queuePath('missing'), task: laterTask() }))).toEqual({
        code: status.FAILED_PRECONDITION,
        message: 'Queue does not exist. If you just created the queue, wait at least a minute for the queue to initialize.',
      });
      const doomed = await freshQueue();
      await client.deleteQueue({ name: doomed.name });
      expect(await rpcError(client.createTask({ parent: doomed.name, task: laterTask() }))).toEqual({
        code: status.FAILED_PRECONDITION,
        message: 'The queue no longer exists, though a queue with this name existed recently.',
      });
      expect(await grpcCode(client.getQueue({ name: queuePath('missing') }))).toBe(status.NOT_FOUND);
      for (const call of [
        () => client.getTask({ name: `${queue.name}/tasks/nope` }),
        () => client.deleteTask({ name: `${queue.name}/tasks/nope` }),
        () => client.runTask({ name: `${queue.name}/tasks/nope` }),
        () => client.getTask({ name: `${queuePath('missing')}/tasks/nope` }),
      ]) {
        expect(await grpcCode(call())).toBe(status.NOT_FOUND);
      }
    });

    it('dispatches a task scheduled in the past right away', async () => {
      const queue = await freshQueue();
      const [task] = await client.createTask({
        parent: queue.name,
        task: { scheduleTime: inSeconds(-3600), httpRequest: { url: `${capture.url}/past` } },
      });
      expect((await emu.waitForTask(task.name!)).outcome).toBe('succeeded');
    });
  });
});

describe('task name tombstones', () => {
  it('refuses a reused id within tombstoneTtlMs and accepts it after', async () => {
    // 60 s of virtual time at 200× = 300 ms real.
    const emu = await startEmulator({ timeScale: 200, tombstoneTtlMs: 60_000 });
    const client = clientFor(emu);
    const capture = await startCaptureServer();
    try {
      const parent = queuePath('tombstones');
      await client.createQueue({ parent: PARENT, queue: { name: parent } });
      const task = { name: `${parent}/tasks/again`, scheduleTime: inSeconds(DAY_S), httpRequest: { url: capture.url } };
      await client.createTask({ parent, task });
      await client.deleteTask({ name: task.name });
      expect((await emu.waitForTask(task.name)).outcome).toBe('deleted');
      expect(await grpcCode(client.createTask({ parent, task }))).toBe(status.ALREADY_EXISTS);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await grpcCode(client.createTask({ parent, task }))).toBe('ok');
      // waiting on the reused name waits for the new task, not the deleted one
      const finished = emu.waitForTask(task.name);
      await client.runTask({ name: task.name });
      expect((await finished).outcome).toBe('succeeded');
    } finally {
      await client.close();
      await capture.close();
      await emu.close();
    }
  });
});
