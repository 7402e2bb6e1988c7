import 'reflect-metadata';
import { jest } from '@jest/globals';
import { ConsoleLogger, type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import http from 'node:http';
import request from 'supertest';
import { startEmulator, type CloudTasksEmulator } from '../libs/cloud-tasks-emulator/src/index.js';
import type { CloudTasksClient } from '@google-cloud/tasks';
import {
  CLOUD_LOGGING_TRACE_FIELD,
  CloudTasksClientHost,
  CloudTasksModule,
  DeadLetterService,
  JobEventBus,
  JobQueueService,
  PermanentError,
  RetryableError,
  type CloudTasksModuleOptions,
  type JobEvent,
} from '../libs/cloud-tasks/src/index.js';
import { deadLetters } from '../libs/cloud-tasks/src/cli/index.js';
import { queueConfig, scriptedHandler, type ScriptedProcessor } from '../libs/cloud-tasks/src/testing/index.js';
import { createHttpApp, HTTP_ADAPTERS, initHttpApp } from '../libs/cloud-tasks/src/testing/http-adapters.js';

const PROJECT = 'lifecycle-project';
const LOCATION = 'us-central1';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SECRET = 'sk-live-7f3a9c1e5b';
const PASSWORD = 'hunter2-correct-horse';

const PingProcessor = scriptedHandler('ping');
const SlowProcessor = scriptedHandler('slow');

/** Keeps every call Nest's Logger makes: (message, ...params, context). */
class CapturingLogger implements LoggerService {
  readonly calls: Array<{ level: string; args: unknown[] }> = [];
  log(...args: unknown[]) { this.calls.push({ level: 'log', args }); }
  warn(...args: unknown[]) { this.calls.push({ level: 'warn', args }); }
  error(...args: unknown[]) { this.calls.push({ level: 'error', args }); }
  debug(...args: unknown[]) { this.calls.push({ level: 'debug', args }); }
  verbose(...args: unknown[]) { this.calls.push({ level: 'verbose', args }); }
  fatal(...args: unknown[]) { this.calls.push({ level: 'fatal', args }); }

  /** Lifecycle lines: message + fields with a severity, context CloudTasks. */
  lifecycle(): Array<{ level: string; message: string; fields: Record<string, unknown> }> {
    return this.calls
      .filter((c) => c.args.at(-1) === 'CloudTasks' && typeof c.args[0] === 'string' && (c.args[1] as { severity?: unknown })?.severity)
      .map((c) => ({ level: c.level, message: c.args[0] as string, fields: c.args[1] as Record<string, unknown> }));
  }

  everything(): string {
    return JSON.stringify(this.calls, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value));
  }
}

function moduleOptions(overrides: Partial<CloudTasksModuleOptions> = {}): CloudTasksModuleOptions {
  return {
    projectId: PROJECT,
    location: LOCATION,
    serviceUrl: 'http://127.0.0.1:1',
    serviceAccountEmail: 'tasks@lifecycle-project.iam.gserviceaccount.com',
    queues: { ping: queueConfig('ping-queue', { maxAttempts: 3 }), slow: queueConfig('slow-queue') },
    auth: { mode: 'none' },
    ...overrides,
  };
}

/** A POST over a connection that closes after the response (no keep-alive). */
function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { ...headers, 'Content-Type': 'application/json', Connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const envelope = (jobName: string, data: unknown, idempotencyKey: string) => ({ jobName, data, idempotencyKey, enqueuedAt: new Date().toISOString() });

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('job lifecycle events and their log lines', () => {
    let emulator: CloudTasksEmulator;
    let app: INestApplication;
    let logger: CapturingLogger;
    let ping: ScriptedProcessor;
    let events: JobEvent[];
    let unsubscribe: () => void;

    /** POSTs a delivery as Cloud Tasks does. */
    const deliver = (body: unknown, { task = 'task-1', retryCount = 0, trace = true }: { task?: string; retryCount?: number; trace?: boolean } = {}) => {
      const req = request(app.getHttpServer())
        .post('/api/jobs/ping')
        .set('X-CloudTasks-QueueName', 'ping-queue')
        .set('X-CloudTasks-TaskName', task)
        .set('X-CloudTasks-TaskRetryCount', String(retryCount))
        .set('X-CloudTasks-TaskExecutionCount', String(retryCount));
      if (trace) req.set('X-Cloud-Trace-Context', `${TRACE}/1234567890;o=1`);
      return req.send(body as object);
    };
    const types = () => events.map((e) => e.type);

    beforeAll(async () => {
      emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 1, queues: { projectId: PROJECT, location: LOCATION, queues: moduleOptions().queues } });
      logger = new CapturingLogger();
      const moduleRef = await Test.createTestingModule({
        imports: [CloudTasksModule.forRoot(moduleOptions({ emulatorHost: emulator.grpcAddress }))],
        providers: [PingProcessor, SlowProcessor],
      })
        .setLogger(logger)
        .compile();
      app = await createHttpApp(moduleRef, adapter, { logger });
      await initHttpApp(app);
      ping = app.get(PingProcessor);
    });

    beforeEach(() => {
      events = [];
      unsubscribe = app.get(JobEventBus).subscribe((e) => events.push(e));
      logger.calls.length = 0;
      ping.behaviour = () => ({ ok: true });
    });

    afterEach(() => unsubscribe());

    afterAll(async () => {
      await app.close();
      await emulator.close();
    });

    it('success: started then completed, once each, with the delivery fields and the trace', async () => {
      const res = await deliver(envelope('ping', { userId: 'u1' }, 'ok-1'), { task: 'task-ok' });
      expect(res.status).toBe(200);

      expect(types()).toEqual(['started', 'completed']);
      const common = { jobName: 'ping', queue: 'ping-queue', taskName: 'task-ok', idempotencyKey: 'ok-1', attempt: 1, trace: TRACE };
      expect(events[0]).toEqual({ type: 'started', ...common, durationMs: undefined, error: undefined });
      expect(events[1]).toMatchObject({ type: 'completed', ...common, durationMs: expect.any(Number) });

      const lines = logger.lifecycle();
      expect(lines.map((l) => [l.level, l.fields.severity, l.fields.event])).toEqual([
        ['log', 'INFO', 'started'],
        ['log', 'INFO', 'completed'],
      ]);
      expect(lines[1].message).toMatch(/^job ping completed \(attempt 1, \d+ ms\)$/);
      expect(lines[1].fields).toEqual({
        severity: 'INFO',
        event: 'completed',
        jobName: 'ping',
        queue: 'ping-queue',
        taskName: 'task-ok',
        attempt: 1,
        durationMs: events[1].durationMs,
        [CLOUD_LOGGING_TRACE_FIELD]: `projects/${PROJECT}/traces/${TRACE}`,
      });
    });

    it('duplicate: only a duplicate event, no start', async () => {
      await deliver(envelope('ping', { userId: 'u1' }, 'dup-1'));
      events.length = 0;
      logger.calls.length = 0;

      const res = await deliver(envelope('ping', { userId: 'u1' }, 'dup-1'), { task: 'task-dup', trace: false });

      expect(res.body).toMatchObject({ success: true, duplicate: true });
      expect(types()).toEqual(['duplicate']);
      expect(events[0]).toMatchObject({ jobName: 'ping', queue: 'ping-queue', taskName: 'task-dup', attempt: 1 });
      const lines = logger.lifecycle();
      expect(lines).toHaveLength(1);
      expect(lines[0].fields).toMatchObject({ severity: 'INFO', event: 'duplicate', taskName: 'task-dup' });
      expect(lines[0].fields).not.toHaveProperty(CLOUD_LOGGING_TRACE_FIELD);
    });

    it('retry: started then retrying (WARNING) with the error, and the redelivery starts and completes', async () => {
      ping.behaviour = (_data, job) => {
        if (job.attempt === 1) throw new RetryableError('Google API answered 503');
        return { ok: true };
      };
      const first = await deliver(envelope('ping', { userId: 'u1' }, 'retry-1'), { task: 'task-retry', retryCount: 0 });
      expect(first.status).toBe(500);
      expect(types()).toEqual(['started', 'retrying']);
      expect(events[1]).toMatchObject({ attempt: 1, error: 'RetryableError: Google API answered 503', durationMs: expect.any(Number) });
      expect(logger.lifecycle().map((l) => [l.level, l.fields.severity])).toEqual([
        ['log', 'INFO'],
        ['warn', 'WARNING'],
      ]);
      expect(logger.lifecycle()[1].fields.error).toBe('RetryableError: Google API answered 503');

      events.length = 0;
      const second = await deliver(envelope('ping', { userId: 'u1' }, 'retry-1'), { task: 'task-retry', retryCount: 1 });
      expect(second.status).toBe(200);
      expect(types()).toEqual(['started', 'completed']);
      expect(events.every((e) => e.attempt === 2)).toBe(true);
    });

    it('dead: a permanent failure is started then dead (ERROR), once each', async () => {
      ping.behaviour = () => {
        throw new PermanentError('user u1 was deleted');
      };
      const res = await deliver(envelope('ping', { userId: 'u1' }, 'dead-1'), { task: 'task-dead' });
      expect(res.status).toBe(202);
      expect(types()).toEqual(['started', 'dead']);
      expect(events[1]).toMatchObject({ jobName: 'ping', taskName: 'task-dead', attempt: 1, error: 'PermanentError: user u1 was deleted', trace: TRACE });
      const lines = logger.lifecycle();
      expect(lines.map((l) => [l.level, l.fields.severity])).toEqual([
        ['log', 'INFO'],
        ['error', 'ERROR'],
      ]);
      expect(lines[1].fields[CLOUD_LOGGING_TRACE_FIELD]).toBe(`projects/${PROJECT}/traces/${TRACE}`);
    });

    it('dead: a retryable failure on the final attempt is started then dead, with no retrying', async () => {
      ping.behaviour = () => {
        throw new RetryableError('still down');
      };
      const res = await deliver(envelope('ping', { userId: 'u1' }, 'exhausted-1'), { task: 'task-exhausted', retryCount: 2 });
      expect(res.status).toBe(500);
      expect(types()).toEqual(['started', 'dead']);
      expect(events[1]).toMatchObject({ attempt: 3, error: 'RetryableError: still down' });
    });

    it('dead: an invalid envelope is dead without starting', async () => {
      const res = await deliver({ jobName: 'ping', data: { userId: 'u1' } }, { task: 'task-invalid' });
      expect(res.status).toBe(202);
      expect(types()).toEqual(['dead']);
      expect(logger.lifecycle().map((l) => l.fields.severity)).toEqual(['ERROR']);
    });

    it('enqueue: enqueued once, then enqueue-duplicate for the same key', async () => {
      const queue = app.get(JobQueueService);
      const first = await queue.add('ping', { userId: 'u1' }, { idempotencyKey: 'enqueue-1', delay: 3600 });
      const again = await queue.add('ping', { userId: 'u1' }, { idempotencyKey: 'enqueue-1', delay: 3600 });
      expect(again.duplicate).toBe(true);
      expect(types()).toEqual(['enqueued', 'enqueue-duplicate']);
      expect(events[0]).toEqual({ type: 'enqueued', jobName: 'ping', queue: 'ping-queue', taskName: first.taskName, idempotencyKey: 'enqueue-1', scheduleTime: first.scheduleTime!.toISOString() });
      expect(logger.lifecycle().map((l) => [l.fields.severity, l.fields.event, l.fields.taskName])).toEqual([
        ['INFO', 'enqueued', first.taskName],
        ['INFO', 'enqueue-duplicate', first.taskName],
      ]);
    });

    it('never logs payload values, not even when the error message echoes them', async () => {
      const data = { userId: 'u1', apiToken: SECRET, credentials: { password: PASSWORD } };
      ping.behaviour = (payload) => {
        const p = payload as typeof data;
        throw new RetryableError(`token ${p.apiToken} rejected for password ${p.credentials.password}`);
      };
      await deliver(envelope('ping', data, 'secret-1'), { task: 'task-secret' });
      ping.behaviour = () => {
        throw new PermanentError(`bad token ${SECRET}`);
      };
      await deliver(envelope('ping', data, 'secret-2'), { task: 'task-secret-2' });
      ping.behaviour = () => ({ ok: true });
      await deliver(envelope('ping', data, 'secret-3'), { task: 'task-secret-3' });

      expect(types()).toEqual(['started', 'retrying', 'started', 'dead', 'started', 'completed']);
      expect(logger.lifecycle()).toHaveLength(6);
      expect(logger.lifecycle()[1].fields.error).toBe('RetryableError: token [REDACTED] rejected for password [REDACTED]');
      const everything = logger.everything();
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain(PASSWORD);
      expect(JSON.stringify(events)).not.toContain(SECRET);
    });

    it('renders as one Cloud Logging JSON line per event with ConsoleLogger({ json: true, flattenParams: true })', async () => {
      const writes: string[] = [];
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => writes.push(String(chunk))) as never);
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => writes.push(String(chunk))) as never);
      app.useLogger(new ConsoleLogger({ json: true, flattenParams: true }));
      try {
        ping.behaviour = () => {
          throw new PermanentError(`bad token ${SECRET}`);
        };
        await deliver(envelope('ping', { apiToken: SECRET }, 'json-1'), { task: 'task-json' });
      } finally {
        app.useLogger(logger);
        stdout.mockRestore();
        stderr.mockRestore();
      }
      const lines = writes.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      const lifecycle = lines.filter((l) => l.context === 'CloudTasks' && l.severity);
      expect(lifecycle.map((l) => [l.severity, l.event])).toEqual([
        ['INFO', 'started'],
        ['ERROR', 'dead'],
      ]);
      expect(lifecycle[1]).toMatchObject({
        severity: 'ERROR',
        message: 'job ping is dead, recorded as a dead letter (attempt 1, ' + String(lifecycle[1].durationMs) + ' ms): PermanentError: bad token [REDACTED]',
        jobName: 'ping',
        queue: 'ping-queue',
        taskName: 'task-json',
        attempt: 1,
        error: 'PermanentError: bad token [REDACTED]',
        [CLOUD_LOGGING_TRACE_FIELD]: `projects/${PROJECT}/traces/${TRACE}`,
      });
      expect(writes.join('')).not.toContain(SECRET);
    });
    it('the dead letters of those deliveries are operable with nest-cloud-tasks dead-letters (list, show, retry, discard)', async () => {
      const capture = () => {
        const io = { stdout: '', stderr: '', out: (t: string) => (io.stdout += `${t}\n`), err: (t: string) => (io.stderr += `${t}\n`) };
        return io;
      };
      const cli = async (...argv: string[]) => {
        const io = capture();
        const code = await deadLetters(argv, { context: app, io });
        return { code, ...io };
      };

      const listed = await cli('list', '--job', 'ping', '--limit', '2');
      expect(listed.code).toBe(0);
      const lines = listed.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+FAILED AT\s+JOB\s+REASON\s+ATTEMPTS\s+RETRIED\s+ERROR$/);
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/^[0-9a-f-]{36}\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+ping\s+(permanent|exhausted)\s+\d+\s+no\s+\S/);
      expect(lines[3]).toMatch(/^2 dead letters, newest first\. More: the same command with --cursor \S+$/);
      expect(listed.stdout).not.toContain(SECRET);

      const record = (await app.get(DeadLetterService).list({ jobName: 'ping', limit: 100 })).items.find((r) => r.idempotencyKey === 'secret-2')!;
      const shown = await cli('show', record.id);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`id               ${record.id}\n`);
      expect(shown.stdout).toContain('reason           permanent\n');
      expect(shown.stdout).toContain('"apiToken": "[REDACTED]"');
      expect(shown.stdout).not.toContain(SECRET);
      expect(shown.stdout).not.toContain(PASSWORD);

      // Paused, so that the re-enqueued task waits in the emulator instead of being dispatched to nowhere.
      const client = await app.get(CloudTasksClientHost).client();
      await client.pauseQueue({ name: `projects/${PROJECT}/locations/${LOCATION}/queues/ping-queue` });
      const retried = await cli('retry', record.id);
      expect(retried.code).toBe(0);
      const taskName = /as task (\S+)\.\n/.exec(retried.stdout)?.[1];
      expect(taskName).toMatch(new RegExp(`^projects/${PROJECT}/locations/${LOCATION}/queues/ping-queue/tasks/[0-9a-f]+$`));
      expect(retried.stdout).toContain(`Re-enqueued dead letter ${record.id} (job ping) on ping-queue as task ${taskName}.`);
      await expect(client.getTask({ name: taskName })).resolves.toBeDefined();
      expect((await cli('show', record.id)).stdout).toMatch(new RegExp(`retried\\s+\\S+ as ${taskName}\\n`));

      expect((await cli('discard', record.id)).stdout).toBe(`Discarded dead letter ${record.id}.\n`);
      const gone = await cli('show', record.id);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toBe(`dead-letters: no dead letter ${record.id} (see: dead-letters list)\n`);
      expect((await cli('discard', record.id)).code).toBe(1);
      expect((await cli('resurrect', record.id)).code).toBe(2);
      expect((await cli('list', '--limit', 'many')).code).toBe(2);
    });
  });

  describe('graceful shutdown', () => {
    let emulator: CloudTasksEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 1, queues: { projectId: PROJECT, location: LOCATION, queues: moduleOptions().queues } });
    });
    afterAll(() => emulator.close());

    it('app.close() while a processor is mid-job lets it finish (follow-up enqueued), sends its response, and logs its completion', async () => {
      const logger = new CapturingLogger();
      const moduleRef = await Test.createTestingModule({
        imports: [CloudTasksModule.forRoot(moduleOptions({ emulatorHost: emulator.grpcAddress }))],
        providers: [PingProcessor, SlowProcessor],
      })
        .setLogger(logger)
        .compile();
      const app = await createHttpApp(moduleRef, adapter, { logger });
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();
      const slow = app.get(SlowProcessor);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const jobs = app.get(JobQueueService);
      slow.behaviour = async () => {
        started();
        await released;
        // The Cloud Tasks client closes only after the HTTP server has drained: a late follow-up still goes out.
        const followUp = await jobs.add('ping', { userId: 'u1' }, { idempotencyKey: 'follow-up-1', delay: 3600 });
        return { finished: true, followUp: followUp.taskName };
      };

      // NOTE: `Connection: close`, as a kept-alive idle connection would hold server.close() until the client drops it.
      const response = post(`${url}/api/jobs/slow`, { 'X-CloudTasks-QueueName': 'slow-queue', 'X-CloudTasks-TaskName': 'task-slow' }, envelope('slow', { userId: 'u1' }, 'slow-1'));
      await running;

      let closed = false;
      const closing = app.close().then(() => (closed = true));
      // Give the shutdown every chance to run ahead of the job: it must wait for it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);

      release();
      const res = await response;
      expect(res.status).toBe(200);
      const { result } = JSON.parse(res.body) as { result: { finished: boolean; followUp: string } };
      expect(JSON.parse(res.body)).toEqual({ success: true, result: { finished: true, followUp: expect.stringMatching(/\/queues\/ping-queue\/tasks\/[0-9a-f]+$/) } });
      await closing;
      expect(closed).toBe(true);
      expect(slow.calls).toHaveLength(1);
      expect(logger.lifecycle().map((l) => [l.fields.event, l.fields.taskName])).toEqual([
        ['started', 'task-slow'],
        ['enqueued', result.followUp],
        ['completed', 'task-slow'],
      ]);
    });
  });
});
