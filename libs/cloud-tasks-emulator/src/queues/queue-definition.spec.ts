import { resolveQueueSettings } from '../core/queue-settings.js';
import { parseDuration, seededQueues } from './queue-definition.js';

describe('seededQueues', () => {
  it('turns a job → queue map into Queue messages under the seed location', () => {
    const [q] = seededQueues({
      projectId: 'p',
      location: 'l',
      queues: {
        'calendar-sync': {
          name: 'q',
          retryConfig: { maxAttempts: 5, minBackoff: '0.5s', maxBackoff: '300s', maxDoublings: 3, maxRetryDuration: '3600s' },
          rateLimits: { maxDispatchesPerSecond: 5 },
          dispatchDeadline: 60,
        },
      },
    });
    expect(q.name).toBe('projects/p/locations/l/queues/q');
    const s = resolveQueueSettings(q.queue, undefined);
    expect(s.retry).toEqual({ maxAttempts: 5, maxRetryDurationMs: 3_600_000, minBackoffMs: 500, maxBackoffMs: 300_000, maxDoublings: 3 });
    expect(s.rate.maxDispatchesPerSecond).toBe(5);
  });

  it('fills partial entries, bare names and a missing project/location with the service defaults', () => {
    const queues = seededQueues({ queues: ['bare', { name: 'partial', retryConfig: { maxAttempts: 3 } }] });
    expect(queues.map((q) => q.name)).toEqual(['projects/local-project/locations/us-central1/queues/bare', 'projects/local-project/locations/us-central1/queues/partial']);
    expect(resolveQueueSettings(queues[0].queue, undefined).retry).toEqual({
      maxAttempts: 100,
      maxRetryDurationMs: 0,
      minBackoffMs: 100,
      maxBackoffMs: 3_600_000,
      maxDoublings: 16,
    });
    expect(resolveQueueSettings(queues[1].queue, undefined).retry).toMatchObject({ maxAttempts: 3, minBackoffMs: 100, maxDoublings: 16 });
  });

  it('names the entry and field of a malformed definition', () => {
    expect(() => seededQueues({ queues: { job: { name: 'q', retryConfig: { minBackoff: '10' } } } })).toThrow('Invalid duration "10" for q.retryConfig.minBackoff');
    expect(() => seededQueues({ queues: [{ retryConfig: {} } as never] })).toThrow('Queue definition queues[0] has no "name"');
  });

  it('reads durations as "Ns" strings or numbers of seconds', () => {
    expect(parseDuration('0.1s', 'x')).toBe(100);
    expect(parseDuration(2.5, 'x')).toBe(2500);
    expect(() => parseDuration(-1, 'x')).toThrow('non-negative');
  });
});
