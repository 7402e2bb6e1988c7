import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { CalendarService, DomainModule, FakeGoogleApi, UserService } from '../domain/index.js';
import { CalendarSyncProcessor } from './calendar-sync.processor.js';
import { FOLLOW_UP_ACTOR } from './follow-up.scheduler.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { FakeJobQueue, followUpTestProviders } from './testing/fake-job-queue.js';

describe('CalendarSyncProcessor', () => {
  let queue = new FakeJobQueue();
  let processor: CalendarSyncProcessor;
  let calendars: CalendarService;
  let google: FakeGoogleApi;
  let users: UserService;
  const job = createJobContext('calendar-sync', { queue: QUEUE_CONFIGS['calendar-sync'] });

  beforeEach(async () => {
    queue = new FakeJobQueue();
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [CalendarSyncProcessor, ...followUpTestProviders(queue)] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(CalendarSyncProcessor);
    calendars = moduleRef.get(CalendarService);
    google = moduleRef.get(FakeGoogleApi);
    users = moduleRef.get(UserService);
  });

  it('mirrors every calendar of the user, reports the counts and asks for a suggestion refresh', async () => {
    const result = await processor.process({ userId: 'u1' }, job);
    const stored = calendars.eventsOf('u1');
    expect(stored.length).toBeGreaterThan(0);
    expect(result).toEqual({
      userId: 'u1',
      fullSync: false,
      calendars: (await google.listCalendars('u1')).length,
      fetched: stored.length,
      added: stored.length,
      updated: 0,
      unchanged: 0,
      removed: 0,
      followUp: [{ name: 'suggestion-regeneration', data: { userId: 'u1', reason: 'calendar-changed' } }],
    });
    expect(calendars.lastSyncedAt('u1')).toBeInstanceOf(Date);
    expect(queue.added).toEqual([
      { name: 'suggestion-regeneration', data: { userId: 'u1', reason: 'calendar-changed' }, options: { idempotencyKey: `${job.idempotencyKey}:then:0:suggestion-regeneration`, skipRateLimit: true, actor: FOLLOW_UP_ACTOR } },
    ]);
  });

  it('names the actor of the sync on its follow-ups, so the audit trail leads back to who started the chain', async () => {
    await processor.process({ userId: 'u1' }, { ...job, actor: 'user:u1' });
    expect(queue.added.map((j) => j.options)).toEqual([expect.objectContaining({ actor: 'user:u1', skipRateLimit: true })]);
  });

  it('reports nothing new on a second sync, and no follow-up', async () => {
    const first = await processor.process({ userId: 'u1' }, job);
    await expect(processor.process({ userId: 'u1', fullSync: true }, job)).resolves.toMatchObject({ added: 0, unchanged: first.added, fullSync: true, followUp: [] });
  });

  it('syncs a single calendar when calendarId is given', async () => {
    const result = await processor.process({ userId: 'u2', calendarId: 'primary' }, job);
    expect(result.calendars).toBe(1);
    expect(calendars.eventsOf('u2').every((e) => e.calendarId === 'primary')).toBe(true);
  });

  it('retries a Google outage (RetryableError with the 503 as cause) and succeeds on the next attempt', async () => {
    google.failNext('u1', 1, 'transient');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 503 } });
    await expect(processor.process({ userId: 'u1' }, createJobContext('calendar-sync', { queue: QUEUE_CONFIGS['calendar-sync'], retryCount: 1 }))).resolves.toMatchObject({ userId: 'u1' });
  });

  it('retries a rate limit (429)', async () => {
    google.failNext('u1', 1, 'rate-limit');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 429 } });
  });

  it('fails permanently on a revoked grant and remembers the revocation', async () => {
    google.failNext('u1', 1, 'revoked');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toThrow(PermanentError);
    expect(users.get('u1').tokens.revokedAt).toBeDefined();
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toThrow(PermanentError);
  });

  it('fails permanently for an unknown user', async () => {
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toThrow(PermanentError);
  });
});
