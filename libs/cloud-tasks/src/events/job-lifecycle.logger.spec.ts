import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger, type LoggerService } from '@nestjs/common';
import { resolveCloudTasksOptions } from '../options/resolved-options.js';
import { testOptions } from '../testing/index.js';
import { JobEventBus } from './job-event-bus.js';
import type { JobEvent } from './job-event.interface.js';
import { CLOUD_LOGGING_TRACE_FIELD, JobLifecycleLogger, jobLifecycleLogEntry } from './job-lifecycle.logger.js';

const TRACE = '105445aa7843bc8bf206b12000100000';
const base = { jobName: 'calendar-sync', queue: 'calendar-sync-queue', taskName: 'a1b2c3', idempotencyKey: 'key-1' };

/** Keeps every call as Nest's Logger makes it: (message, ...params, context). */
class CapturingLogger implements LoggerService {
  readonly calls: Array<{ level: string; args: unknown[] }> = [];
  log(...args: unknown[]) { this.calls.push({ level: 'log', args }); }
  warn(...args: unknown[]) { this.calls.push({ level: 'warn', args }); }
  error(...args: unknown[]) { this.calls.push({ level: 'error', args }); }
  debug(...args: unknown[]) { this.calls.push({ level: 'debug', args }); }
  verbose(...args: unknown[]) { this.calls.push({ level: 'verbose', args }); }
}

describe('jobLifecycleLogEntry', () => {
  it.each<[JobEvent['type'], string, Partial<JobEvent>, string]>([
    ['enqueued', 'INFO', {}, 'job calendar-sync enqueued on calendar-sync-queue'],
    ['enqueue-duplicate', 'INFO', {}, 'job calendar-sync already enqueued with this idempotency key'],
    ['started', 'INFO', { attempt: 2 }, 'job calendar-sync started (attempt 2)'],
    ['completed', 'INFO', { attempt: 1, durationMs: 35 }, 'job calendar-sync completed (attempt 1, 35 ms)'],
    ['duplicate', 'INFO', { attempt: 3 }, 'job calendar-sync skipped: a delivery with this idempotency key already completed (attempt 3)'],
    ['retrying', 'WARNING', { attempt: 2, durationMs: 12, error: 'RetryableError: Google API 503' }, 'job calendar-sync failed, Cloud Tasks will retry (attempt 2, 12 ms): RetryableError: Google API 503'],
    ['dead', 'ERROR', { attempt: 5, durationMs: 9, error: 'PermanentError: user deleted' }, 'job calendar-sync is dead, recorded as a dead letter (attempt 5, 9 ms): PermanentError: user deleted'],
  ])('%s → %s with its message', (type, severity, extra, message) => {
    const entry = jobLifecycleLogEntry({ ...base, type, ...extra }, 'demo-project');
    expect(entry).toEqual({ severity, message, event: type, jobName: 'calendar-sync', queue: 'calendar-sync-queue', taskName: 'a1b2c3', ...extra });
  });

  it('names the actor on every event that has one, and the schedule time of a delayed enqueue', () => {
    const at = '2026-12-02T10:00:00.000Z';
    expect(jobLifecycleLogEntry({ ...base, type: 'enqueued', actor: 'user:42', scheduleTime: at }, 'p')).toEqual({
      severity: 'INFO', message: 'job calendar-sync enqueued on calendar-sync-queue', event: 'enqueued', jobName: 'calendar-sync', queue: 'calendar-sync-queue', taskName: 'a1b2c3', actor: 'user:42', scheduleTime: at,
    });
    for (const type of ['started', 'completed', 'retrying', 'dead'] as const) expect(jobLifecycleLogEntry({ ...base, type, actor: 'svc:billing' }, 'p').actor).toBe('svc:billing');
  });

  it('links the trace as Cloud Logging expects, and only a real trace id', () => {
    expect(jobLifecycleLogEntry({ ...base, type: 'started', trace: TRACE }, 'demo-project')[CLOUD_LOGGING_TRACE_FIELD]).toBe(`projects/demo-project/traces/${TRACE}`);
    expect(jobLifecycleLogEntry({ ...base, type: 'started', trace: 'not a trace"}' }, 'demo-project')).not.toHaveProperty(CLOUD_LOGGING_TRACE_FIELD);
  });

  it('never carries the idempotency key or anything but the listed fields', () => {
    const entry = jobLifecycleLogEntry({ ...base, idempotencyKey: 'user-42-secret', type: 'completed', attempt: 1, durationMs: 1, trace: TRACE }, 'p');
    expect(Object.keys(entry).sort()).toEqual(['attempt', 'durationMs', 'event', 'jobName', CLOUD_LOGGING_TRACE_FIELD, 'message', 'queue', 'severity', 'taskName'].sort());
    expect(JSON.stringify(entry)).not.toContain('user-42-secret');
  });
});

describe('JobLifecycleLogger', () => {
  let capture: CapturingLogger;
  let bus: JobEventBus;
  let lifecycle: JobLifecycleLogger;

  beforeEach(() => {
    capture = new CapturingLogger();
    Logger.overrideLogger(capture);
    bus = new JobEventBus();
    lifecycle = new JobLifecycleLogger(bus, resolveCloudTasksOptions(testOptions({ projectId: 'demo-project' })));
  });
  afterEach(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
    Logger.overrideLogger(false);
  });

  it('logs nothing before init, one line per event after, and nothing after shutdown', () => {
    bus.emit({ ...base, type: 'enqueued' });
    expect(capture.calls).toHaveLength(0);

    lifecycle.onModuleInit();
    lifecycle.onModuleInit();
    bus.emit({ ...base, type: 'started', attempt: 1, trace: TRACE });
    bus.emit({ ...base, type: 'retrying', attempt: 1, durationMs: 4, error: 'boom' });
    bus.emit({ ...base, type: 'dead', attempt: 2, durationMs: 4, error: 'boom' });
    expect(capture.calls).toEqual([
      {
        level: 'log',
        args: [
          'job calendar-sync started (attempt 1)',
          { severity: 'INFO', event: 'started', jobName: 'calendar-sync', queue: 'calendar-sync-queue', taskName: 'a1b2c3', attempt: 1, [CLOUD_LOGGING_TRACE_FIELD]: `projects/demo-project/traces/${TRACE}` },
          'CloudTasks',
        ],
      },
      { level: 'warn', args: [expect.stringContaining('will retry'), expect.objectContaining({ severity: 'WARNING', error: 'boom' }), 'CloudTasks'] },
      { level: 'error', args: [expect.stringContaining('is dead'), expect.objectContaining({ severity: 'ERROR', error: 'boom' }), 'CloudTasks'] },
    ]);

    lifecycle.onApplicationShutdown();
    bus.emit({ ...base, type: 'completed' });
    expect(capture.calls).toHaveLength(3);
  });

  it('skips the work for levels the app has turned off', () => {
    // A LoggerService of the app's own is not filtered by Nest: the lifecycle logger checks the levels itself.
    Logger.overrideLogger(['error']);
    lifecycle.onModuleInit();
    bus.emit({ ...base, type: 'completed' });
    bus.emit({ ...base, type: 'retrying', error: 'x' });
    bus.emit({ ...base, type: 'dead', error: 'x' });
    expect(capture.calls.map((c) => c.level)).toEqual(['error']);
  });
});
