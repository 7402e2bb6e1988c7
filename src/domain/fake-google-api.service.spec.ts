import { Test } from '@nestjs/testing';
import { ClockService } from './clock.service.js';
import { GoogleApiError } from './domain.errors.js';
import { DomainModule } from './domain.module.js';
import { FakeGoogleApi } from './fake-google-api.service.js';

describe('FakeGoogleApi', () => {
  let google: FakeGoogleApi;
  let other: FakeGoogleApi;

  beforeEach(async () => {
    const [a, b] = await Promise.all([1, 2].map(() => Test.createTestingModule({ imports: [DomainModule] }).compile()));
    const at = new Date('2030-03-01T12:00:00Z');
    a.get(ClockService).freeze(at);
    b.get(ClockService).freeze(at);
    google = a.get(FakeGoogleApi);
    other = b.get(FakeGoogleApi);
  });

  it('derives the same data from the same userId, and different data for another user', async () => {
    expect(await google.listContacts('u1')).toEqual(await other.listContacts('u1'));
    expect(await google.listEvents('u1', 'primary')).toEqual(await other.listEvents('u1', 'primary'));
    expect(await google.listContacts('u1')).not.toEqual(await google.listContacts('u2'));
    expect(await google.listEvents('u1', 'no-such-calendar')).toEqual([]);
  });

  it('fails exactly the next N calls of that user with the injected kind, then recovers', async () => {
    google.failNext('u1', 2, 'transient');
    google.failNext('u1', 1, 'rate-limit');
    google.failNext('u2', 1, 'revoked');
    await expect(google.listContacts('u1')).rejects.toMatchObject({ constructor: GoogleApiError, statusCode: 503, kind: 'transient', retryable: true });
    await expect(google.refreshAccessToken('u1')).rejects.toMatchObject({ statusCode: 503 });
    await expect(google.listCalendars('u1')).rejects.toMatchObject({ statusCode: 429, kind: 'rate-limit' });
    await expect(google.listCalendars('u1')).resolves.toContainEqual(expect.objectContaining({ id: 'primary' }));
    await expect(google.getTokenInfo('u2')).rejects.toMatchObject({ statusCode: 401, kind: 'revoked', retryable: false });
    expect(google.calls('u1').map((c) => c.failed)).toEqual(['transient', 'transient', 'rate-limit', undefined]);
    expect(google.pendingFaults('u1')).toBe(0);
  });

  it('clears pending faults', async () => {
    google.failNext('u1', 3, 'transient');
    google.clearFaults('u1');
    await expect(google.listContacts('u1')).resolves.toBeInstanceOf(Array);
  });

  it('issues a new access token per refresh, deterministically', async () => {
    const first = await google.refreshAccessToken('u1');
    const second = await google.refreshAccessToken('u1');
    expect(first.accessToken).not.toBe(second.accessToken);
    expect(first).toEqual(await other.refreshAccessToken('u1'));
  });
});
