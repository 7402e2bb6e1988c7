import { Test } from '@nestjs/testing';
import { PermanentError } from '@nest-cloud-tasks/core';
import { CalendarService, ContactService, DomainModule, SuggestionService } from '../domain/index.js';
import { PENDING_SUGGESTIONS, SuggestionRegenerationProcessor } from './suggestion-regeneration.processor.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { FakeJobQueue, followUpTestProviders } from './testing/fake-job-queue.js';

describe('SuggestionRegenerationProcessor', () => {
  let queue = new FakeJobQueue();
  let processor: SuggestionRegenerationProcessor;
  let suggestions: SuggestionService;
  let contacts: ContactService;
  let calendars: CalendarService;
  const job = createJobContext('suggestion-regeneration', { queue: QUEUE_CONFIGS['suggestion-regeneration'] });

  beforeEach(async () => {
    queue = new FakeJobQueue();
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [SuggestionRegenerationProcessor, ...followUpTestProviders(queue)] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(SuggestionRegenerationProcessor);
    suggestions = moduleRef.get(SuggestionService);
    contacts = moduleRef.get(ContactService);
    calendars = moduleRef.get(CalendarService);
  });

  it('replaces the pending suggestions with a fresh ranking of the synced contacts', async () => {
    await contacts.sync('u1');
    await calendars.sync('u1');
    suggestions.generate('u1', 2);
    const result = await processor.process({ userId: 'u1', reason: 'calendar-changed' }, job);
    const pending = suggestions.list('u1', 'pending');
    expect(result).toEqual({
      userId: 'u1',
      reason: 'calendar-changed',
      removed: 2,
      created: Math.min(PENDING_SUGGESTIONS, contacts.list('u1').length),
      suggestionIds: pending.map((s) => s.id),
      followUp: [],
    });
    expect(pending.map((s) => s.score)).toEqual([...pending.map((s) => s.score)].sort((a, b) => b - a));
  });

  it('asks for a contacts sync when the user has none yet', async () => {
    await expect(processor.process({ userId: 'u2' }, job)).resolves.toEqual({
      userId: 'u2',
      reason: 'manual',
      removed: 0,
      created: 0,
      suggestionIds: [],
      followUp: [{ name: 'google-contacts-sync', data: { userId: 'u2' } }],
    });
  });

  it('fails permanently for an unknown user', async () => {
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toThrow(PermanentError);
  });
});
