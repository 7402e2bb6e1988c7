import { INVALID_OPTIONS } from '../cloud-tasks.messages.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import { queueConfig, testOptions } from '../testing/index.js';
import { validateCloudTasksOptions } from './validate-options.js';

/** The message `validateCloudTasksOptions` throws for `options`, or undefined when it accepts them. */
function problemOf(options: unknown): string | undefined {
  try {
    validateCloudTasksOptions(options as CloudTasksModuleOptions);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(CloudTasksConfigError);
    return (error as Error).message;
  }
}

/** The "  - ..." lines of an INVALID_OPTIONS message. */
function linesOf(message: string | undefined): string[] {
  const [header, ...lines] = (message ?? '').split('\n');
  expect(header).toBe('Invalid CloudTasksModule options:');
  return lines.map((line) => line.replace(/^ {2}- /, ''));
}

describe('validateCloudTasksOptions', () => {
  it('accepts valid options', () => {
    expect(problemOf(testOptions())).toBeUndefined();
    expect(problemOf(testOptions({ queues: { a: queueConfig('a-queue', { maxAttempts: -1, maxRetryDuration: '3600s' }, { dispatchDeadline: 1800 }) } }))).toBeUndefined();
  });

  it('names a missing projectId and the GCP_PROJECT_ID variable that feeds it', () => {
    const { projectId: _omitted, ...rest } = testOptions();
    const lines = linesOf(problemOf(rest));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^projectId \(usually from GCP_PROJECT_ID\): projectId .+, missing$/);
    expect(lines).toContain('projectId (usually from GCP_PROJECT_ID): projectId must be a GCP project id, missing');
  });

  it.each(['not a url', 'ftp://files.example.test', 'jobs.example.test'])('refuses the serviceUrl %j, naming CLOUD_RUN_URL', (serviceUrl) => {
    expect(problemOf(testOptions({ serviceUrl }))).toBe(
      INVALID_OPTIONS([`serviceUrl (usually from CLOUD_RUN_URL): serviceUrl must be an absolute http(s) URL, got ${JSON.stringify(serviceUrl)}`]),
    );
  });

  it('refuses a queue whose maxBackoff is below its minBackoff', () => {
    const options = testOptions({ queues: { ping: queueConfig('ping-queue', { minBackoff: '30s', maxBackoff: '10s' }) } });
    expect(problemOf(options)).toBe(INVALID_OPTIONS(['queues["ping"].retryConfig: maxBackoff (10s) is below minBackoff (30s)']));
  });

  it('compares backoffs as durations, not as text', () => {
    const options = testOptions({ queues: { ping: queueConfig('ping-queue', { minBackoff: '9s', maxBackoff: '10s' }) } });
    expect(problemOf(options)).toBeUndefined();
  });

  it('refuses an unknown top-level option', () => {
    expect(problemOf({ ...testOptions(), projectID: 'typo' })).toBe(INVALID_OPTIONS(['projectID: unknown option; remove it or check its spelling']));
  });

  it('refuses an unknown option inside a queue config and inside auth', () => {
    const options = testOptions({ queues: { ping: { ...queueConfig('ping-queue'), retries: 3 } as never }, auth: { mode: 'none', audeince: 'x' } as never });
    expect(linesOf(problemOf(options)).sort()).toEqual(
      ['auth.audeince: unknown option; remove it or check its spelling', 'queues["ping"].retries: unknown option; remove it or check its spelling'].sort(),
    );
  });

  it.each(['10', '10m', '-1s', '1.5 s', ''])('refuses the duration string %j', (minBackoff) => {
    const options = testOptions({ queues: { ping: queueConfig('ping-queue', { minBackoff }) } });
    expect(linesOf(problemOf(options))).toContain(
      `queues["ping"].retryConfig.minBackoff: minBackoff must be a Cloud Tasks duration such as "30s" or "0.5s", got ${JSON.stringify(minBackoff)}`,
    );
  });

  it('refuses two jobs on one queue', () => {
    const options = testOptions({ queues: { a: queueConfig('shared-queue'), b: queueConfig('shared-queue') } });
    expect(problemOf(options)).toBe(INVALID_OPTIONS(['queues["b"].name "shared-queue" is also the queue of "a": give each job its own queue']));
  });

  it('lists every problem at once', () => {
    const options = { ...testOptions({ serviceUrl: 'nope' }), extra: true };
    expect(linesOf(problemOf(options)).sort()).toEqual([
      'extra: unknown option; remove it or check its spelling',
      'serviceUrl (usually from CLOUD_RUN_URL): serviceUrl must be an absolute http(s) URL, got "nope"',
    ]);
  });

  it('refuses options that are not an object (a factory that returned nothing)', () => {
    expect(problemOf(undefined)).toBe(INVALID_OPTIONS(['options must be an object (did useFactory return undefined?)']));
  });
});
