import { describe, expect, it } from '@jest/globals';
import { validateCloudTasksOptions } from '../options/validate-options.js';
import { testOptions, queueConfig } from '../testing/test-app.js';
import { bullmqConnectionOf } from './bullmq-transport.options.js';
import { mayRetry, retryDelayMs } from './retry-schedule.js';
import { parseTransportRouting } from './transport-routing.js';

describe('parseTransportRouting', () => {
  it('reads a default and per-job overrides from one variable', () => {
    expect(parseTransportRouting('*=cloud-tasks, calendar-sync=bullmq,token-refresh = bullmq')).toEqual({
      default: 'cloud-tasks',
      jobs: { 'calendar-sync': 'bullmq', 'token-refresh': 'bullmq' },
    });
  });

  it('an empty or missing variable routes nothing (everything on the default transport)', () => {
    expect(parseTransportRouting(undefined)).toEqual({});
    expect(parseTransportRouting(' , ')).toEqual({});
  });

  it.each(['calendar-sync', 'calendar-sync=redis', '=bullmq', 'a=b=c'])('refuses %j, naming the entry and the choices', (value) => {
    expect(() => parseTransportRouting(value)).toThrow(/Invalid transport routing entry .*expected job=transport .*cloud-tasks, inline, bullmq/);
  });
});

describe('transport options at boot', () => {
  const queues = { 'calendar-sync': queueConfig('calendar-sync-queue') };
  const problems = (transport: unknown) => {
    try {
      validateCloudTasksOptions(testOptions({ queues, transport: transport as never }));
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('accepts a routing with its BullMQ connection', () => {
    expect(problems({ jobs: { 'calendar-sync': 'bullmq' }, bullmq: { connection: 'redis://127.0.0.1:6379' } })).toBe('');
  });

  it('refuses a job not in queues (a typo in JOB_TRANSPORTS), an unknown transport, BullMQ without a connection', () => {
    expect(problems({ jobs: { 'calender-sync': 'cloud-tasks' } })).toMatch(/transport\.jobs\["calender-sync"\]: no such job in "queues"/);
    expect(problems({ default: 'sqs' })).toMatch(/transport\.default must be one of cloud-tasks, inline, bullmq, got "sqs"/);
    expect(problems({ jobs: { 'calendar-sync': 'bullmq' } })).toMatch(/routed to bullmq but transport\.bullmq\.connection is not set/);
    expect(problems({ bullmq: { connection: 'http://redis' } })).toMatch(/redis:\/\/ or rediss:\/\/ URL/);
  });
});

describe('retry schedule of the transports that retry themselves', () => {
  const queue = queueConfig('q', { maxAttempts: 5, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2 });

  it('doubles maxDoublings times, then grows linearly by the last step, capped at maxBackoff (as Cloud Tasks)', () => {
    expect([0, 1, 2, 3, 4, 5].map((k) => retryDelayMs(queue, k))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('allows attempts up to maxAttempts, and forever at -1', () => {
    expect([4, 5].map((n) => mayRetry(queue, n))).toEqual([true, false]);
    expect(mayRetry(queueConfig('f', { maxAttempts: -1 }), 1e6)).toBe(true);
  });
});

describe('bullmqConnectionOf', () => {
  it('turns a URL into ioredis options (credentials decoded, db, TLS for rediss)', () => {
    expect(bullmqConnectionOf('rediss://user:p%40ss@redis.internal:6380/2')).toEqual({ host: 'redis.internal', port: 6380, username: 'user', password: 'p@ss', db: 2, tls: {} });
    expect(bullmqConnectionOf('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });
});
