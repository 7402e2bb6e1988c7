import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import { PermanentError, RetryableError } from '../errors/index.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { JobEvent } from '../events/job-event.interface.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import { JobQueueService } from '../queue/job-queue.service.js';
import { compileTestModule, InlineTransport, queueConfig, scriptedHandler, type ScriptedProcessor } from '../testing/index.js';

const Ping = scriptedHandler('ping');
const QUEUES = { ping: queueConfig('ping-queue', { maxAttempts: 3, minBackoff: '10s', maxBackoff: '100s', maxDoublings: 2 }) };

describe('InlineTransport', () => {
  let moduleRef: TestingModule | undefined;
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  async function boot(options: Partial<CloudTasksModuleOptions> = {}) {
    ({ moduleRef } = await compileTestModule({ options: { queues: QUEUES, transport: { default: 'inline' }, ...options }, providers: [Ping] }));
    await moduleRef.init();
    const events: JobEvent[] = [];
    moduleRef.get(JobEventBus).subscribe((e) => events.push(e));
    return { jobs: moduleRef.get(JobQueueService), inline: moduleRef.get(InlineTransport), ping: moduleRef.get<ScriptedProcessor>(Ping), events };
  }

  it('add() resolves before the job runs; drain() waits for it, which ran through the pipeline (JobContext, events)', async () => {
    const { jobs, inline, ping, events } = await boot();
    const job = await jobs.add('ping', { userId: 'u1' });
    expect(ping.calls).toHaveLength(0);
    await inline.drain();
    expect(ping.calls.map((c) => [c.data, c.job.idempotencyKey, c.job.queueName, c.job.retryCount])).toEqual([[{ userId: 'u1' }, job.idempotencyKey, 'ping-queue', 0]]);
    expect(events.map((e) => e.type)).toEqual(['enqueued', 'started', 'completed']);
    expect(inline.attempts).toEqual([expect.objectContaining({ jobName: 'ping', attempt: 1, status: 200, kind: 'success' })]);
  });

  it('a delayed job waits for the transport clock: advance() short of the delay runs nothing, drain() moves the clock and runs it', async () => {
    const { jobs, inline, ping } = await boot();
    const addedAt = inline.now();
    await jobs.add('ping', {}, { delay: 3600 });
    await inline.drain({ advanceTime: false });
    inline.advance(3_540_000); // a minute short of the delay
    await inline.drain({ advanceTime: false });
    expect(ping.calls).toHaveLength(0);
    expect(inline.pendingCount).toBe(1);
    await inline.drain();
    expect(ping.calls).toHaveLength(1);
    // The clock jumped to the job's time, an hour after add() (give or take the real time the test took).
    expect(inline.attempts[0].at - addedAt).toBeGreaterThanOrEqual(3_600_000);
    expect(inline.attempts[0].at - addedAt).toBeLessThan(3_605_000);
  });

  it('a job that fails twice then succeeds runs 3 times, backing off as the queue config says (10 s, then 20 s on the transport clock)', async () => {
    const { jobs, inline, ping, events } = await boot();
    let call = 0;
    ping.behaviour = () => {
      if (++call <= 2) throw new RetryableError(`flaky ${call}`);
      return { ok: call };
    };
    await jobs.add('ping', {});
    await inline.drain();
    expect(ping.calls.map((c) => c.job.retryCount)).toEqual([0, 1, 2]);
    expect(inline.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const [a, b, c] = inline.attempts.map((x) => x.at);
    expect(b - a).toBeGreaterThanOrEqual(10_000);
    expect(c - b).toBeGreaterThanOrEqual(20_000);
    expect(events.filter((e) => e.type === 'retrying')).toHaveLength(2);
  });

  it('a permanent failure is dead-lettered once; a job out of attempts after its last one', async () => {
    const { jobs, inline, ping } = await boot();
    ping.behaviour = (data) => {
      if ((data as { kind: string }).kind === 'permanent') throw new PermanentError('bad data');
      throw new RetryableError('still down');
    };
    const permanent = await jobs.add('ping', { kind: 'permanent' });
    const exhausted = await jobs.add('ping', { kind: 'transient' });
    await inline.drain();
    const { items } = await moduleRef!.get(DeadLetterService).list({ jobName: 'ping' });
    const byKey = new Map(items.map((d) => [d.idempotencyKey, d]));
    expect(byKey.get(permanent.idempotencyKey)).toMatchObject({ reason: 'permanent', attempts: 1 });
    expect(byKey.get(exhausted.idempotencyKey)).toMatchObject({ reason: 'exhausted', attempts: 3 });
    expect(ping.calls).toHaveLength(4);
  });

  it('the same idempotency key twice: one job, the second add() answers duplicate', async () => {
    const { jobs, inline, ping } = await boot();
    const first = await jobs.add('ping', {}, { idempotencyKey: 'once' });
    const second = await jobs.add('ping', {}, { idempotencyKey: 'once' });
    expect([first.duplicate, second.duplicate]).toEqual([false, true]);
    expect(second.taskName).toBe(first.taskName);
    await inline.drain();
    expect(ping.calls).toHaveLength(1);
  });

  it('the envelope\'s maxAttempts is honoured as at the endpoint: the job ends at its cap with a dead letter', async () => {
    const { jobs, inline, ping } = await boot();
    ping.behaviour = () => {
      throw new RetryableError('down');
    };
    const job = await jobs.add('ping', {}, { maxAttempts: 2 });
    await inline.drain();
    expect(ping.calls).toHaveLength(2);
    const dead = (await moduleRef!.get(DeadLetterService).list({ jobName: 'ping' })).items.find((d) => d.idempotencyKey === job.idempotencyKey);
    expect(dead).toMatchObject({ reason: 'exhausted', attempts: 2 });
  });

  it('per-job routing: only the routed job runs inline, the others still go to Cloud Tasks', async () => {
    const Other = scriptedHandler('other');
    const compiled = await compileTestModule({
      options: { queues: { ...QUEUES, other: queueConfig('other-queue') }, transport: { jobs: { ping: 'inline' } } },
      providers: [Ping, Other],
    });
    moduleRef = compiled.moduleRef;
    await moduleRef.init();
    const ping = await moduleRef.get(JobQueueService).add('ping', {});
    const other = await moduleRef.get(JobQueueService).add('other', {});
    await moduleRef.get(InlineTransport).drain();
    expect(moduleRef.get<ScriptedProcessor>(Ping).calls).toHaveLength(1);
    expect(moduleRef.get<ScriptedProcessor>(Other).calls).toHaveLength(0);
    expect(compiled.client.tasks.map((t) => t.name)).toEqual([other.taskName]);
    expect(compiled.client.tasks.map((t) => t.name)).not.toContain(ping.taskName);
  });

  it('outside local mode, routing a job to inline fails at boot with the fix', async () => {
    await expect(
      compileTestModule({ testMode: false, options: { queues: QUEUES, auth: { mode: 'verify-signature' }, transport: { jobs: { ping: 'inline' } } } }),
    ).rejects.toThrow(CloudTasksConfigError);
    await expect(
      compileTestModule({ testMode: false, options: { queues: QUEUES, auth: { mode: 'verify-signature' }, transport: { jobs: { ping: 'inline' } } } }),
    ).rejects.toThrow(/routes ping to "inline" against real Cloud Tasks.*Route them to "cloud-tasks"/);
  });
});
