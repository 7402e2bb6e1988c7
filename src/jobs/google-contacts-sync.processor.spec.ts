import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { ContactService, DomainModule, FakeGoogleApi } from '../domain/index.js';
import { GoogleContactsSyncProcessor } from './google-contacts-sync.processor.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { FakeJobQueue, followUpTestProviders } from './testing/fake-job-queue.js';

describe('GoogleContactsSyncProcessor', () => {
  let queue = new FakeJobQueue();
  let processor: GoogleContactsSyncProcessor;
  let contacts: ContactService;
  let google: FakeGoogleApi;
  const job = createJobContext('google-contacts-sync', { queue: QUEUE_CONFIGS['google-contacts-sync'] });

  beforeEach(async () => {
    queue = new FakeJobQueue();
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [GoogleContactsSyncProcessor, ...followUpTestProviders(queue)] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(GoogleContactsSyncProcessor);
    contacts = moduleRef.get(ContactService);
    google = moduleRef.get(FakeGoogleApi);
  });

  it('mirrors the user’s contacts and asks for a suggestion refresh', async () => {
    const result = await processor.process({ userId: 'u1' }, job);
    expect(contacts.list('u1')).toEqual(await google.listContacts('u1'));
    expect(result).toEqual({
      userId: 'u1',
      fullSync: false,
      fetched: contacts.list('u1').length,
      added: contacts.list('u1').length,
      updated: 0,
      unchanged: 0,
      removed: 0,
      followUp: [{ name: 'suggestion-regeneration', data: { userId: 'u1', reason: 'contacts-changed' } }],
    });
  });

  it('is a no-op the second time', async () => {
    await processor.process({ userId: 'u1' }, job);
    await expect(processor.process({ userId: 'u1' }, job)).resolves.toMatchObject({ added: 0, updated: 0, followUp: [] });
  });

  it('maps 503/429 to RetryableError and a revoked grant, a revoked user or an unknown user to PermanentError', async () => {
    google.failNext('u1', 1, 'transient');
    google.failNext('u1', 1, 'rate-limit');
    google.failNext('u1', 1, 'revoked');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 503 } });
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 429 } });
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: PermanentError, cause: { statusCode: 401 } });
    await expect(processor.process({ userId: 'u3' }, job)).rejects.toThrow(PermanentError);
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toThrow(PermanentError);
    expect(contacts.list('u1')).toEqual([]);
  });
});
