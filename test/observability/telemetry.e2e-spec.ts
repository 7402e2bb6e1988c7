import 'reflect-metadata';
import { Controller, Injectable, Post, UseInterceptors, type CallHandler, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { context, metrics, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { IncomingHttpHeaders } from 'node:http';
import { from, lastValueFrom, type Observable } from 'rxjs';
import request from 'supertest';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import {
  CloudTasksModule,
  JobEventBus,
  JobQueueService,
  PermanentError,
  RetryableError,
  type CloudTasksModuleOptions,
  type EnqueuedJob,
  type JobEvent,
} from '../../libs/cloud-tasks/src/index.js';
import { queueConfig, scriptedHandler, waitFor, type ScriptedProcessor } from '../../libs/cloud-tasks/src/testing/index.js';
import { createHttpApp, HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

const PROJECT = 'otel-project';
const LOCATION = 'us-central1';

/** A metric reader the test collects from when it wants: no timer, nothing exported behind its back. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

// NOTE: the SDK is registered before any Nest module is built, as an app does it (`node --import ./otel.js`).
const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
tracerProvider.register();
const reader = new CollectingReader();
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

afterAll(async () => {
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

/** What `@opentelemetry/instrumentation-http` does for an incoming request: a SERVER span, active while it is handled. */
@Injectable()
class ServerSpanInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = execution.switchToHttp().getRequest<{ headers: IncomingHttpHeaders; method: string; url: string }>();
    const parent = propagation.extract(context.active(), req.headers);
    const span = trace.getTracer('test-http').startSpan(`${req.method} /signup`, { kind: SpanKind.SERVER }, parent);
    return from(context.with(trace.setSpan(parent, span), () => lastValueFrom(next.handle())).finally(() => span.end()));
  }
}

/** The enqueuing side: a request of the app's that adds a job. */
@Controller('signup')
@UseInterceptors(ServerSpanInterceptor)
class SignupController {
  constructor(private readonly jobs: JobQueueService) {}

  @Post()
  async signup(): Promise<EnqueuedJob & { traceId: string }> {
    const job = await this.jobs.add('welcome', { userId: 'u-1' });
    return { ...job, traceId: trace.getActiveSpan()?.spanContext().traceId ?? '' };
  }
}

const WelcomeProcessor = scriptedHandler('welcome');
const PingProcessor = scriptedHandler('ping');

type Counts = Record<string, number>;

/** `cloud_tasks.deliveries` of job `ping`, by outcome, and how many durations `messaging.process.duration` holds. */
async function deliveryCounts(): Promise<{ outcomes: Counts; durations: number; storeCalls: Counts }> {
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.filter((s) => s.scope.name === '@nest-cloud-tasks/core').flatMap((s) => s.metrics);
  const points = (name: string) => (all.find((m) => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<unknown>[];
  const outcomes: Counts = {};
  for (const point of points('cloud_tasks.deliveries')) {
    if (point.attributes['messaging.gcp_cloud_tasks.job.name'] !== 'ping') continue;
    const outcome = String(point.attributes['messaging.gcp_cloud_tasks.outcome']);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + (point.value as number);
  }
  const durations = points('messaging.process.duration')
    .filter((p) => p.attributes['messaging.gcp_cloud_tasks.job.name'] === 'ping')
    .reduce((sum, p) => sum + (p.value as Histogram).count, 0);
  const storeCalls: Counts = {};
  for (const point of points('cloud_tasks.idempotency.store.duration')) {
    const operation = String(point.attributes['messaging.gcp_cloud_tasks.store.operation']);
    storeCalls[operation] = (storeCalls[operation] ?? 0) + (point.value as Histogram).count;
  }
  return { outcomes, durations, storeCalls };
}

function delta(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [key, value] of Object.entries(after)) if (value - (before[key] ?? 0) !== 0) out[key] = value - (before[key] ?? 0);
  return out;
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('OpenTelemetry: one trace from the enqueuing request to the processor, metrics once per delivery', () => {
    let emulator: CloudTasksEmulator;
    let app: INestApplication;
    let ping: ScriptedProcessor;
    let events: JobEvent[];

    beforeAll(async () => {
      const queues = { welcome: queueConfig('welcome-queue'), ping: queueConfig('ping-queue', { maxAttempts: 3, minBackoff: '1s' }) };
      emulator = await startEmulator({ port: 0, httpPort: 0, timeScale: 1000, queues: { projectId: PROJECT, location: LOCATION, queues } });
      const port = await freePort();
      const options: CloudTasksModuleOptions = {
        projectId: PROJECT,
        location: LOCATION,
        serviceUrl: `http://127.0.0.1:${port}`,
        serviceAccountEmail: 'tasks@otel-project.iam.gserviceaccount.com',
        queues,
        emulatorHost: emulator.grpcAddress,
        auth: { mode: 'none' },
      };
      const moduleRef = await Test.createTestingModule({
        imports: [CloudTasksModule.forRoot(options)],
        controllers: [SignupController],
        providers: [WelcomeProcessor, PingProcessor, ServerSpanInterceptor],
      }).compile();
      app = await createHttpApp(moduleRef, adapter, { logger: ['error'] });
      await app.listen(port, '127.0.0.1');
      ping = app.get(PingProcessor);
      events = [];
      app.get(JobEventBus).subscribe((e) => events.push(e));
    });

    beforeEach(() => {
      spans.reset();
      ping.behaviour = () => ({ ok: true });
    });

    afterAll(async () => {
      await app?.close();
      await emulator?.close();
    });

    const byKind = (kind: SpanKind) => spans.getFinishedSpans().filter((s) => s.kind === kind);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

    it('request → add() → emulator → processor: one trace id, SERVER → PRODUCER → CONSUMER, messaging attributes', async () => {
      const res = await request(app.getHttpServer()).post('/signup').expect(201);
      const job = res.body as EnqueuedJob & { traceId: string };
      await emulator.waitForTask(job.taskName, { timeoutMs: 20_000 });

      const [server] = byKind(SpanKind.SERVER);
      const [producer] = byKind(SpanKind.PRODUCER);
      const [consumer] = byKind(SpanKind.CONSUMER);
      expect(server.spanContext().traceId).toBe(job.traceId);
      expect(producer.spanContext().traceId).toBe(job.traceId);
      expect(consumer.spanContext().traceId).toBe(job.traceId);
      expect(parentOf(producer)).toBe(server.spanContext().spanId);
      // NOTE: no HTTP instrumentation in the job endpoint here: the consumer's parent is the producer from traceparent.
      expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
      expect(consumer.links.map((l) => l.context.spanId)).toEqual([producer.spanContext().spanId]);

      const taskId = job.taskName.split('/').pop();
      expect(producer.name).toBe('send welcome-queue');
      expect(producer.attributes).toEqual({
        'messaging.system': 'gcp_cloud_tasks',
        'messaging.destination.name': 'welcome-queue',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.gcp_cloud_tasks.job.name': 'welcome',
        'messaging.message.id': taskId,
        'messaging.gcp_cloud_tasks.duplicate': false,
      });
      expect(consumer.name).toBe('process welcome-queue');
      expect(consumer.attributes).toEqual({
        'messaging.system': 'gcp_cloud_tasks',
        'messaging.destination.name': 'welcome-queue',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.gcp_cloud_tasks.job.name': 'welcome',
        'messaging.message.id': taskId,
        'messaging.gcp_cloud_tasks.message.delivery_attempt': 1,
        'messaging.message.body.size': expect.any(Number),
        'messaging.gcp_cloud_tasks.outcome': 'completed',
        'http.response.status_code': 200,
      });
      expect(consumer.status.code).toBe(0);

      // X-Cloud-Trace-Context travelled too: the delivery's lifecycle log lines carry the same trace.
      const started = events.find((e) => e.type === 'started' && e.jobName === 'welcome' && taskId === e.taskName);
      expect(started?.trace).toBe(job.traceId);
    });

    it('a retried delivery is its own CONSUMER span in the same trace, marked as an error with its attempt', async () => {
      ping.behaviour = (_data, job) => {
        if (job.attempt === 1) throw new RetryableError('Google API 503');
        return { ok: true };
      };
      const job = await app.get(JobQueueService).add('ping', { n: 1 });
      await emulator.waitForTask(job.taskName, { timeoutMs: 20_000 });
      const [producer] = byKind(SpanKind.PRODUCER);
      const consumers = byKind(SpanKind.CONSUMER);
      expect(consumers.map((s) => [s.attributes['messaging.gcp_cloud_tasks.message.delivery_attempt'], s.attributes['messaging.gcp_cloud_tasks.outcome'], s.status.code])).toEqual([
        [1, 'retried', 2],
        [2, 'completed', 0],
      ]);
      expect(consumers[0].status.message).toBe('RetryableError: Google API 503');
      expect(new Set(consumers.map((s) => s.spanContext().traceId))).toEqual(new Set([producer.spanContext().traceId]));
      // NOTE: add() outside any request starts its own trace.
      expect(parentOf(producer)).toBeUndefined();
    });

    it('counts each delivery once by outcome: completed, retried, dead, duplicate, busy; durations and store calls recorded', async () => {
      const before = await deliveryCounts();
      const jobs = app.get(JobQueueService);

      // completed, first try
      await emulator.waitForTask((await jobs.add('ping', { n: 'ok' })).taskName, { timeoutMs: 20_000 });
      // retried, then completed
      ping.behaviour = (_data, job) => {
        if (job.attempt === 1) throw new RetryableError('flaky');
        return { ok: true };
      };
      await emulator.waitForTask((await jobs.add('ping', { n: 'flaky' })).taskName, { timeoutMs: 20_000 });
      // dead
      ping.behaviour = () => {
        throw new PermanentError('user deleted');
      };
      await emulator.waitForTask((await jobs.add('ping', { n: 'dead' })).taskName, { timeoutMs: 20_000 });
      ping.behaviour = () => ({ ok: true });

      // duplicate: Cloud Tasks delivers at least once; a second delivery of a completed job runs nothing.
      const done = await jobs.add('ping', { n: 'twice' }, { idempotencyKey: 'twice-1' });
      await emulator.waitForTask(done.taskName, { timeoutMs: 20_000 });
      const redeliver = () =>
        request(app.getHttpServer())
          .post('/api/jobs/ping')
          .set('X-CloudTasks-QueueName', 'ping-queue')
          .set('X-CloudTasks-TaskName', 'redelivered')
          .set('X-CloudTasks-TaskRetryCount', '0')
          .send({ jobName: 'ping', data: { n: 'twice' }, idempotencyKey: 'twice-1', enqueuedAt: new Date().toISOString() });
      expect((await redeliver()).body).toMatchObject({ duplicate: true });

      // busy: a delivery of a key another delivery is running answers 409.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      ping.behaviour = async () => {
        await gate;
        return { ok: true };
      };
      const calls = ping.calls.length;
      const held = jobs.add('ping', { n: 'held' }, { idempotencyKey: 'held-1' });
      await waitFor(() => ping.calls.length > calls, { timeoutMs: 20_000, what: 'the held job to start' });
      const busy = await request(app.getHttpServer())
        .post('/api/jobs/ping')
        .set('X-CloudTasks-QueueName', 'ping-queue')
        .set('X-CloudTasks-TaskName', 'concurrent')
        .set('X-CloudTasks-TaskRetryCount', '0')
        .send({ jobName: 'ping', data: { n: 'held' }, idempotencyKey: 'held-1', enqueuedAt: new Date().toISOString() });
      expect(busy.status).toBe(409);
      release();
      await emulator.waitForTask((await held).taskName, { timeoutMs: 20_000 });

      const after = await deliveryCounts();
      // ok: 1 completed; flaky: 1 retried + 1 completed; dead: 1 dead; twice: 1 completed + 1 duplicate; held: 1 busy + 1 completed.
      expect(delta(after.outcomes, before.outcomes)).toEqual({ completed: 4, retried: 1, dead: 1, duplicate: 1, busy: 1 });
      expect(after.durations - before.durations).toBe(8);
      const store = delta(after.storeCalls, before.storeCalls);
      expect(store.claim).toBeGreaterThanOrEqual(8);
      expect(store.complete).toBeGreaterThanOrEqual(5);
    });
  });
});
