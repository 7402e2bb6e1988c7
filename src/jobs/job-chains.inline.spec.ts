import type { TestingModule } from '@nestjs/testing';
import { DeadLetterService, JobQueueService } from '@nest-cloud-tasks/core';
import { compileTestModule, InlineTransport } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { CalendarService, ContactService, FakeGoogleApi, SuggestionService } from '../domain/index.js';
import { JobsModule } from './jobs.module.js';

/**
 * The CatchUp processors with their follow-up jobs, run in process by the inline transport: the producer, the
 * pipeline (payload validation, idempotency, dead letters) and every processor of a chain, with no emulator.
 */
describe('CatchUp job chains on the inline transport', () => {
  let moduleRef: TestingModule;
  let jobs: JobQueueService;
  let inline: InlineTransport;

  beforeEach(async () => {
    ({ moduleRef } = await compileTestModule({ options: { queues: QUEUE_CONFIGS, transport: { default: 'inline' } }, imports: [JobsModule] }));
    await moduleRef.init();
    jobs = moduleRef.get(JobQueueService);
    inline = moduleRef.get(InlineTransport);
  });
  afterEach(() => moduleRef.close());

  const ran = () => inline.attempts.map((a) => `${a.jobName} ${a.status}`);

  it('calendar-sync → suggestion-regeneration → google-contacts-sync → suggestion-regeneration, each once', async () => {
    await jobs.add('calendar-sync', { userId: 'u1' });
    await inline.drain();
    expect(ran()).toEqual(['calendar-sync 200', 'suggestion-regeneration 200', 'google-contacts-sync 200', 'suggestion-regeneration 200']);
    expect(moduleRef.get(ContactService).lastSyncedAt('u1')).toBeInstanceOf(Date);
    expect(moduleRef.get(SuggestionService).list('u1', 'pending').length).toBeGreaterThan(0);
  });

  it('a Google outage is retried with the queue backoff, and the chain still completes', async () => {
    moduleRef.get(FakeGoogleApi).failNext('u2', 1, 'transient');
    await jobs.add('google-contacts-sync', { userId: 'u2' });
    await inline.drain();
    expect(ran()).toEqual(['google-contacts-sync 500', 'google-contacts-sync 200', 'suggestion-regeneration 200']);
    const [failed, retried] = inline.attempts;
    // google-contacts-sync-queue: minBackoff 30 s.
    expect(retried.at - failed.at).toBeGreaterThanOrEqual(30_000);
  });

  it('adaptive-sync reschedules itself: the next run waits on the transport clock until it is moved', async () => {
    await jobs.add('adaptive-sync', { userId: 'u1', reason: 'user-active' });
    await inline.drain({ advanceTime: false });
    const first = ran().filter((r) => r.startsWith('adaptive-sync'));
    expect(first).toEqual(['adaptive-sync 200']);
    expect(inline.pendingCount).toBe(1);
    inline.advance(24 * 3600_000);
    await inline.drain({ advanceTime: false });
    expect(ran().filter((r) => r.startsWith('adaptive-sync'))).toEqual(['adaptive-sync 200', 'adaptive-sync 200']);
  });

  it('a payload that fails its class-validator class is refused before the processor, as at the endpoint: once, dead-lettered', async () => {
    const job = await jobs.add('calendar-sync', { userId: 42 } as never);
    await inline.drain();
    expect(ran()).toEqual(['calendar-sync 202']);
    const dead = (await moduleRef.get(DeadLetterService).list({ jobName: 'calendar-sync' })).items;
    expect(dead).toEqual([expect.objectContaining({ idempotencyKey: job.idempotencyKey, reason: 'permanent', error: expect.stringMatching(/userId/) })]);
    expect(moduleRef.get(CalendarService).lastSyncedAt('42')).toBeUndefined();
  });
});
