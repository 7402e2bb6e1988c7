import { Test, type TestingModule } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { ClockService, DomainModule, FakeGoogleApi, GoogleApiError, UserService } from '../domain/index.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { TokenRefreshProcessor } from './token-refresh.processor.js';

describe('TokenRefreshProcessor', () => {
  let moduleRef: TestingModule;
  let processor: TokenRefreshProcessor;
  let users: UserService;
  let google: FakeGoogleApi;
  let clock: ClockService;
  const job = createJobContext('token-refresh', { queue: QUEUE_CONFIGS['token-refresh'] });

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [TokenRefreshProcessor] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(TokenRefreshProcessor);
    users = moduleRef.get(UserService);
    google = moduleRef.get(FakeGoogleApi);
    clock = moduleRef.get(ClockService);
    clock.freeze();
  });

  it('refreshes an expired access token and records the new expiry', async () => {
    const expected = new Date(clock.now().getTime() + 3600_000);
    await expect(processor.process({ userId: 'u2' }, job)).resolves.toEqual({ userId: 'u2', refreshed: true, expiresAt: expected.toISOString() });
    expect(users.get('u2').tokens.accessTokenExpiresAt).toEqual(expected);
    expect(users.get('u2').tokens.accessToken).toMatch(/^ya29\.fake-/);
  });

  it('leaves a token valid for more than 5 minutes alone, unless forced', async () => {
    const before = users.get('u1').tokens.accessTokenExpiresAt.toISOString();
    await expect(processor.process({ userId: 'u1' }, job)).resolves.toEqual({ userId: 'u1', refreshed: false, expiresAt: before });
    expect(google.calls('u1')).toHaveLength(0);
    await expect(processor.process({ userId: 'u1', force: true }, job)).resolves.toMatchObject({ refreshed: true });
  });

  it.each([
    ['transient', 503],
    ['rate-limit', 429],
  ] as const)('turns a %s Google error into a RetryableError, and succeeds once Google recovers', async (kind, statusCode) => {
    google.failNext('u2', 1, kind);
    await expect(processor.process({ userId: 'u2' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: expect.objectContaining({ statusCode }) });
    await expect(processor.process({ userId: 'u2' }, createJobContext('token-refresh', { queue: QUEUE_CONFIGS['token-refresh'], retryCount: 1 }))).resolves.toMatchObject({ refreshed: true });
  });

  it('marks the user revoked and fails permanently when Google says the grant was revoked', async () => {
    google.failNext('u2', 1, 'revoked');
    await expect(processor.process({ userId: 'u2' }, job)).rejects.toMatchObject({ constructor: PermanentError, cause: expect.any(GoogleApiError) });
    expect(users.get('u2').tokens.revokedAt).toEqual(clock.now());
  });

  it('fails permanently, without calling Google, for a revoked user or an unknown one', async () => {
    await expect(processor.process({ userId: 'u3' }, job)).rejects.toThrow(PermanentError);
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toMatchObject({ constructor: PermanentError, message: 'User nobody does not exist' });
    expect(google.calls()).toHaveLength(0);
  });
});
