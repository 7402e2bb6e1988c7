import type { CloudTasksClient } from '@google-cloud/tasks';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { clientFor, PARENT, queuePath, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

/** The most timestamps falling in any half-open window [t, t + windowMs). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('queue rate limits and state', () => {
  let emu: CloudTasksEmulator;
  let client: CloudTasksClient;
  let capture: CaptureServer;

  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 20 });
    client = clientFor(emu);
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  const createTasks = async (parent: string, count: number, path: string) => {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const [task] = await client.createTask({ parent, task: { httpRequest: { url: `${capture.url}${path}` } } });
      names.push(task.name!);
    }
    return names;
  };

  it('never dispatches more than max_dispatches_per_second in any one-second (virtual) window', async () => {
    const parent = queuePath('five-per-second');
    await client.createQueue({ parent: PARENT, queue: { name: parent, rateLimits: { maxDispatchesPerSecond: 5 } } });
    await client.pauseQueue({ name: parent }); // build a backlog, then let it drain at full speed
    const names = await createTasks(parent, 40, '/rate');
    await client.resumeQueue({ name: parent });
    await Promise.all(names.map((name) => emu.waitForTask(name)));
    const times = emu.attempts.forQueue('five-per-second').map((a) => a.virtualTime);
    expect(times).toHaveLength(40);
    expect(maxInAnyWindow(times, 1000)).toBe(5);
    // 40 dispatches at 5/s need at least 7 s; the limiter does not sit idle much longer than that.
    const span = Math.max(...times) - Math.min(...times);
    expect(span).toBeGreaterThanOrEqual(7_000);
    expect(span).toBeLessThan(12_000);
  });

  it('never has more than max_concurrent_dispatches requests in flight', async () => {
    const parent = queuePath('two-at-a-time');
    await client.createQueue({ parent: PARENT, queue: { name: parent, rateLimits: { maxConcurrentDispatches: 2 } } });
    const previous = capture.handler;
    capture.maxInFlight = 0;
    capture.handler = (req, res) => (req.url === '/slow' ? setTimeout(() => res.end(), 20) : previous(req, res));
    try {
      const names = await createTasks(parent, 10, '/slow');
      await Promise.all(names.map((name) => emu.waitForTask(name)));
      expect(capture.maxInFlight).toBe(2);
    } finally {
      capture.handler = previous;
    }
  });

  it('holds tasks while the queue is paused and dispatches them on resume', async () => {
    const parent = queuePath('paused');
    await client.createQueue({ parent: PARENT, queue: { name: parent } });
    await client.pauseQueue({ name: parent });
    const names = await createTasks(parent, 3, '/paused');
    await new Promise((resolve) => setTimeout(resolve, 100)); // 2 s virtual: they would have run by now
    expect(capture.requests.filter((r) => r.url === '/paused')).toHaveLength(0);
    const [listed] = await client.listTasks({ parent });
    expect(listed.map((t) => t.dispatchCount)).toEqual([0, 0, 0]);

    await client.resumeQueue({ name: parent });
    const outcomes = await Promise.all(names.map((name) => emu.waitForTask(name)));
    expect(outcomes.map((o) => o.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('applies a rate changed by UpdateQueue', async () => {
    const parent = queuePath('slowed-down');
    await client.createQueue({ parent: PARENT, queue: { name: parent } });
    await client.pauseQueue({ name: parent });
    const names = await createTasks(parent, 6, '/slowed');
    await client.updateQueue({ queue: { name: parent, rateLimits: { maxDispatchesPerSecond: 2 } }, updateMask: { paths: ['rate_limits.max_dispatches_per_second'] } });
    await client.resumeQueue({ name: parent });
    await Promise.all(names.map((name) => emu.waitForTask(name)));
    expect(maxInAnyWindow(emu.attempts.forQueue('slowed-down').map((a) => a.virtualTime), 1000)).toBe(2);
  });
});
