import type { CloudTasksClient } from '@google-cloud/tasks';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { attemptsOf, clientFor, PARENT, queuePath, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

const s = (seconds: number) => ({ seconds });
/**
 * Virtual slack allowed above each backoff: timer lateness on a loaded machine (30 ms real at 250×), below the 10 s
 * that separates the smallest two backoffs, so a wrong step still fails.
 */
const UPPER_SLACK_MS = 7_500;

describe('retries', () => {
  let emu: CloudTasksEmulator;
  let client: CloudTasksClient;
  let capture: CaptureServer;
  let n = 0;
  const queue = async (retryConfig: Record<string, unknown>) => {
    const name = queuePath(`r-${++n}`);
    await client.createQueue({ parent: PARENT, queue: { name, retryConfig } });
    return name;
  };
  const task = async (parent: string, path: string, extra: Record<string, unknown> = {}) =>
    (await client.createTask({ parent, task: { httpRequest: { url: `${capture.url}${path}` }, ...extra } }))[0].name!;

  beforeAll(async () => {
    // 1150 s of backoff in the 10s/300s/3 case runs in about 4.6 s.
    emu = await startEmulator({ timeScale: 250 });
    client = clientFor(emu);
    capture = await startCaptureServer((req, res) => {
      const status = Number(/status=(\d+)/.exec(req.url)?.[1] ?? 200);
      const retryAfter = /retry-after=(\d+)/.exec(req.url)?.[1];
      if (retryAfter) res.setHeader('Retry-After', retryAfter);
      res.statusCode = status;
      res.end();
    });
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  it('backs off 10, 20, 40, 80, 160, 240, 300, 300 s (virtual) with min 10s, max 300s, 3 doublings', async () => {
    await emu.waitForTask(await task(await queue({}), '/warm-up')); // open the keep-alive connection first
    const parent = await queue({ maxAttempts: 9, minBackoff: s(10), maxBackoff: s(300), maxDoublings: 3 });
    const name = await task(parent, '/always-500?status=500');
    const finished = await emu.waitForTask(name);
    expect(finished.outcome).toBe('exhausted');
    const log = emu.attempts.forTask(name);
    expect(log).toHaveLength(9);
    const expected = [10, 20, 40, 80, 160, 240, 300, 300].map((x) => x * 1000);
    log.slice(1).forEach((attempt, i) => {
      const previous = log[i];
      // Backoff runs from the failure (the end of the previous response), never less between dispatches.
      const failedAt = previous.virtualTime + previous.durationMs * emu.timeScale;
      expect(attempt.virtualTime - previous.virtualTime).toBeGreaterThanOrEqual(expected[i]);
      expect(attempt.virtualTime - failedAt).toBeGreaterThanOrEqual(expected[i]);
      expect(attempt.virtualTime - failedAt).toBeLessThanOrEqual(expected[i] + UPPER_SLACK_MS);
    });
  }, 20_000);

  it('stops after maxAttempts', async () => {
    const parent = await queue({ maxAttempts: 3, minBackoff: s(1), maxBackoff: s(1) });
    const name = await task(parent, '/x?status=500');
    const finished = await emu.waitForTask(name);
    expect(finished).toMatchObject({ outcome: 'exhausted', task: { dispatchCount: 3, retryCount: 3, lastStatus: 500 } });
    expect(emu.attempts.forTask(name)).toHaveLength(3);
  });

  it('keeps retrying past maxAttempts until maxRetryDuration has also passed', async () => {
    const parent = await queue({ maxAttempts: 2, maxRetryDuration: s(60), minBackoff: s(10), maxBackoff: s(10), maxDoublings: 0 });
    const name = await task(parent, '/x?status=500');
    let finishedAt = 0;
    const finished = await emu.waitForTask(name).then((e) => {
      finishedAt = emu.clock.now();
      return e;
    });
    const log = emu.attempts.forTask(name);
    expect(finished.outcome).toBe('exhausted');
    expect(log.length).toBeGreaterThan(2);
    expect(finishedAt - log[0].virtualTime).toBeGreaterThanOrEqual(60_000);
    // every retry was scheduled while the duration had not yet run out
    expect(log[log.length - 2].virtualTime - log[0].virtualTime).toBeLessThan(60_000);
  });

  it('retries forever with maxAttempts -1 (until deleted)', async () => {
    const parent = await queue({ maxAttempts: -1, minBackoff: s(1), maxBackoff: s(1) });
    const name = await task(parent, '/x?status=500');
    await attemptsOf(emu, name, 5);
    await client.deleteTask({ name });
    expect((await emu.waitForTask(name)).outcome).toBe('deleted');
  });

  it('honours Retry-After on 429, holds the whole queue meanwhile, and counts the 429 as an execution', async () => {
    const parent = await queue({ maxAttempts: 2, minBackoff: s(1), maxBackoff: s(1) });
    const first = await task(parent, '/throttled?status=429&retry-after=30');
    await attemptsOf(emu, first, 1);
    const second = await task(parent, '/ok');
    const [a, b] = [await emu.waitForTask(first), await emu.waitForTask(second)];
    expect(a.outcome).toBe('exhausted');
    expect(b.outcome).toBe('succeeded');
    const [a1, a2] = emu.attempts.forTask(first);
    const [b1] = emu.attempts.forTask(second);
    expect(a2.virtualTime - a1.virtualTime).toBeGreaterThanOrEqual(30_000);
    expect(b1.virtualTime - a1.virtualTime).toBeGreaterThanOrEqual(30_000);
    expect(a2).toMatchObject({ retryCount: 1, executionCount: 1 });
  });

  it('treats 503 like any 5xx failure (no execution counted) and uses min_backoff as the queue pause without Retry-After', async () => {
    const parent = await queue({ maxAttempts: 2, minBackoff: s(5), maxBackoff: s(5) });
    const name = await task(parent, '/x?status=503');
    const finished = await emu.waitForTask(name);
    const [first, second] = emu.attempts.forTask(name);
    expect(finished.task).toMatchObject({ dispatchCount: 2, responseCount: 2, executionCount: 0, retryCount: 2 });
    expect(second).toMatchObject({ retryCount: 1, executionCount: 0 });
    expect(second.virtualTime - first.virtualTime).toBeGreaterThanOrEqual(5_000);
  });

  it('counts no response within the dispatch deadline as a failure, aborts the request and retries', async () => {
    const held: { destroyed: boolean }[] = [];
    const previous = capture.handler;
    capture.handler = (req, res) => {
      if (req.url.startsWith('/hang') && held.length === 0) {
        held.push(res.socket as unknown as { destroyed: boolean });
        return; // never answer: the 15 s deadline is 60 ms real at 250×
      }
      previous(req, res);
    };
    try {
      const parent = await queue({ maxAttempts: 3, minBackoff: s(1), maxBackoff: s(1) });
      const name = await task(parent, '/hang', { dispatchDeadline: s(15) });
      const finished = await emu.waitForTask(name);
      const log = emu.attempts.forTask(name);
      expect(finished.outcome).toBe('succeeded');
      expect(log.map((a) => a.status)).toEqual(['timeout', 200]);
      expect(log[1].retryCount).toBe(1);
      const retried = capture.requests.filter((r) => r.url === '/hang');
      expect(retried).toHaveLength(2);
      expect(retried[1].headers['x-cloudtasks-taskretryreason']).toBe('DEADLINE_EXCEEDED');
      expect(retried[1].headers['x-cloudtasks-taskpreviousresponse']).toBeUndefined();
      expect(held[0].destroyed).toBe(true);
      const [got] = await client.getQueue({ name: parent });
      expect(got.name).toBe(parent);
    } finally {
      capture.handler = previous;
    }
  });

  it('RunTask dispatches now, and on failure reschedules with the queue backoff', async () => {
    const parent = await queue({ maxAttempts: 5, minBackoff: s(20), maxBackoff: s(20) });
    const name = await task(parent, '/x?status=500', { scheduleTime: { seconds: Math.floor(Date.now() / 1000) + 86_400 } });
    const [ran] = await client.runTask({ name });
    expect(ran.dispatchCount).toBe(1);
    await client.pauseQueue({ name: parent });
    await attemptsOf(emu, name, 1);
    const [after] = await client.getTask({ name });
    expect(after.lastAttempt?.responseStatus?.code).toBe(13);
    const nextRun = Number(after.scheduleTime!.seconds) * 1000 + after.scheduleTime!.nanos! / 1e6;
    const first = emu.attempts.forTask(name)[0];
    // Backoff runs from the failure: the dispatch plus the (scaled) time the response took.
    const failedAt = first.virtualTime + first.durationMs * emu.timeScale;
    expect(nextRun - first.virtualTime).toBeGreaterThanOrEqual(20_000);
    expect(nextRun - failedAt).toBeLessThan(20_000 + UPPER_SLACK_MS);
    await client.deleteTask({ name });
  });
});
