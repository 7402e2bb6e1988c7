import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { ContactService, DomainModule, FakeGoogleApi, SuggestionService } from '../domain/index.js';
import { SuggestionGenerationProcessor } from './suggestion-generation.processor.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';

describe('SuggestionGenerationProcessor', () => {
  let processor: SuggestionGenerationProcessor;
  let suggestions: SuggestionService;
  let contacts: ContactService;
  let google: FakeGoogleApi;
  const job = createJobContext('suggestion-generation', { queue: QUEUE_CONFIGS['suggestion-generation'] });

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [SuggestionGenerationProcessor] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(SuggestionGenerationProcessor);
    suggestions = moduleRef.get(SuggestionService);
    contacts = moduleRef.get(ContactService);
    google = moduleRef.get(FakeGoogleApi);
  });

  it('fetches contacts the first time, then adds suggestions up to the limit', async () => {
    const result = await processor.process({ userId: 'u1', limit: 2 }, job);
    expect(result).toEqual({ userId: 'u1', created: 2, suggestionIds: suggestions.list('u1').map((s) => s.id), contactsSynced: true, degraded: false });
    expect(contacts.list('u1').length).toBeGreaterThanOrEqual(3);
  });

  it('only suggests contacts without a pending suggestion', async () => {
    const total = (await google.listContacts('u1')).length;
    await processor.process({ userId: 'u1', limit: 2 }, job);
    await expect(processor.process({ userId: 'u1', limit: 20 }, job)).resolves.toMatchObject({ created: total - 2, contactsSynced: false });
    await expect(processor.process({ userId: 'u1' }, job)).resolves.toMatchObject({ created: 0 });
    expect(new Set(suggestions.list('u1').map((s) => s.contactId)).size).toBe(total);
  });

  it('retries when Google is unavailable, but degrades to cached data on the final attempt', async () => {
    google.failNext('u1', 2, 'transient');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 503 } });
    await expect(processor.process({ userId: 'u1' }, createJobContext('suggestion-generation', { queue: QUEUE_CONFIGS['suggestion-generation'], retryCount: QUEUE_CONFIGS['suggestion-generation'].retryConfig.maxAttempts - 1 }))).resolves.toEqual({
      userId: 'u1',
      created: 0,
      suggestionIds: [],
      contactsSynced: false,
      degraded: true,
    });
  });

  it('fails permanently for a revoked or unknown user, even on the final attempt', async () => {
    await expect(processor.process({ userId: 'u3' }, createJobContext('suggestion-generation', { queue: QUEUE_CONFIGS['suggestion-generation'], retryCount: QUEUE_CONFIGS['suggestion-generation'].retryConfig.maxAttempts - 1 }))).rejects.toThrow(PermanentError);
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toThrow(PermanentError);
  });
});
