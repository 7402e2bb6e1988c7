import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { CalendarService, ClockService, ContactService, DomainModule, FakeGoogleApi } from '../domain/index.js';
import { AdaptiveSyncProcessor } from './adaptive-sync.processor.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { FakeJobQueue, followUpTestProviders } from './testing/fake-job-queue.js';

describe('AdaptiveSyncProcessor', () => {
  let queue = new FakeJobQueue();
  let processor: AdaptiveSyncProcessor;
  let calendars: CalendarService;
  let contacts: ContactService;
  let google: FakeGoogleApi;
  let clock: ClockService;
  const job = createJobContext('adaptive-sync', { queue: QUEUE_CONFIGS['adaptive-sync'] });

  beforeEach(async () => {
    queue = new FakeJobQueue();
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [AdaptiveSyncProcessor, ...followUpTestProviders(queue)] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(AdaptiveSyncProcessor);
    calendars = moduleRef.get(CalendarService);
    contacts = moduleRef.get(ContactService);
    google = moduleRef.get(FakeGoogleApi);
    clock = moduleRef.get(ClockService);
    clock.freeze();
  });

  it('syncs both mirrors when never synced, then schedules itself sooner because things changed', async () => {
    const result = await processor.process({ userId: 'u1' }, job);
    expect(result).toMatchObject({ reason: 'scheduled', calendar: { status: 'synced' }, contacts: { status: 'synced' }, degraded: false, nextSyncInSeconds: 900 });
    expect(result.followUp).toEqual([
      { name: 'adaptive-sync', data: { userId: 'u1', reason: 'scheduled' }, options: { delay: 900 } },
      { name: 'suggestion-regeneration', data: { userId: 'u1', reason: 'calendar-changed' } },
    ]);
    expect(calendars.eventsOf('u1').length).toBeGreaterThan(0);
    expect(contacts.list('u1').length).toBeGreaterThan(0);
  });

  it('skips what is fresh enough for the reason, and backs off when nothing changed', async () => {
    await processor.process({ userId: 'u1' }, job);
    clock.advance(20 * 60_000);
    await expect(processor.process({ userId: 'u1', reason: 'scheduled' }, job)).resolves.toMatchObject({ calendar: { status: 'skipped' }, contacts: { status: 'skipped' }, nextSyncInSeconds: 3600 });
    await expect(processor.process({ userId: 'u1', reason: 'user-active' }, job)).resolves.toMatchObject({ calendar: { status: 'synced', changes: 0 }, contacts: { status: 'skipped' } });
    await expect(processor.process({ userId: 'u1', reason: 'webhook' }, job)).resolves.toMatchObject({ calendar: { status: 'synced' }, contacts: { status: 'skipped' } });
  });

  it('retries a Google outage before the final attempt', async () => {
    google.failNext('u1', 1, 'transient');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 503 } });
  });

  it('degrades on the final attempt: keeps the half that worked and reports the other as failed', async () => {
    google.failNext('u1', 1, 'rate-limit');
    const result = await processor.process({ userId: 'u1' }, createJobContext('adaptive-sync', { queue: QUEUE_CONFIGS['adaptive-sync'], retryCount: QUEUE_CONFIGS['adaptive-sync'].retryConfig.maxAttempts - 1 }));
    expect(result).toMatchObject({ calendar: { status: 'failed' }, contacts: { status: 'synced' }, degraded: true, nextSyncInSeconds: 300 });
    expect(calendars.eventsOf('u1')).toEqual([]);
    expect(contacts.list('u1').length).toBeGreaterThan(0);
  });

  it('fails permanently for a revoked or unknown user', async () => {
    await expect(processor.process({ userId: 'u3' }, job)).rejects.toThrow(PermanentError);
    await expect(processor.process({ userId: 'nobody', reason: 'webhook' }, job)).rejects.toThrow(PermanentError);
  });
});
