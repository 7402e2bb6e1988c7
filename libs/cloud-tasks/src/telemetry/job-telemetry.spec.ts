import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { context, createTraceState, metrics, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { EnqueueValidationError } from '../errors/enqueue.error.js';
import type { ClaimResult, IdempotencyRecord, IdempotencyStore, WriteResult } from '../idempotency/idempotency-store.interface.js';
import { IdempotencyStore as IDEMPOTENCY_STORE } from '../idempotency/idempotency-store.interface.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import { CLOUD_TASKS_CLIENT } from '../cloud-tasks.tokens.js';
import { JobQueueService } from '../queue/job-queue.service.js';
import { FakeCloudTasksClient } from '../testing/fake-cloud-tasks-client.js';
import { compileTestModule, InlineTransport, queueConfig, scriptedHandler, type ScriptedProcessor } from '../testing/index.js';
import { JobDelivery } from '../delivery/job-delivery.js';
import { Outcomes } from '../delivery/job-outcome.js';
import type { RegisteredJobHandler } from '../handlers/job-handler.registry.js';
import { JobTelemetry } from './job-telemetry.js';
import { OPENTELEMETRY_API } from './opentelemetry-api.js';

const Ping = scriptedHandler('ping');
const QUEUES = { ping: queueConfig('ping-queue') };

/** A store that never answers: every call fails, as an unreachable Upstash does. */
class UnreachableStore implements IdempotencyStore {
  private fail(): never {
    throw new Error('connect ECONNREFUSED 127.0.0.1:1');
  }
  async claim(): Promise<ClaimResult> { return this.fail(); }
  async renew(): Promise<boolean> { return this.fail(); }
  async complete(): Promise<WriteResult> { return this.fail(); }
  async release(): Promise<WriteResult> { return this.fail(); }
  async markDeadLettered(): Promise<IdempotencyRecord | null> { return this.fail(); }
  async get(): Promise<IdempotencyRecord | null> { return this.fail(); }
}

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

describe('JobTelemetry', () => {
  let moduleRef: TestingModule | undefined;
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  async function boot(options: Partial<CloudTasksModuleOptions> = {}, withoutApi = false) {
    ({ moduleRef } = await compileTestModule({
      options: { queues: QUEUES, ...options },
      providers: [Ping],
      override: withoutApi ? (builder) => builder.overrideProvider(OPENTELEMETRY_API).useValue(null) : undefined,
    }));
    await moduleRef.init();
    return moduleRef;
  }

  function taskHeaders(): Array<Record<string, string> | undefined> {
    const client = moduleRef!.get<FakeCloudTasksClient>(CLOUD_TASKS_CLIENT);
    return client.requests.map((r) => r.task?.httpRequest?.headers as Record<string, string> | undefined);
  }

  describe('without an SDK', () => {
    it('with @opentelemetry/api but no SDK registered: the task carries no trace headers', async () => {
      await boot();
      await moduleRef!.get(JobQueueService).add('ping', {});
      expect(taskHeaders()).toEqual([{ 'Content-Type': 'application/json' }]);
    });

    it('without @opentelemetry/api: nothing is wrapped (the store is the store) and add() works as before', async () => {
      const ref = await boot({}, true);
      const store = ref.get<IdempotencyStore>(IDEMPOTENCY_STORE);
      expect(ref.get(JobTelemetry).instrumentStore(store)).toBe(store);
      await expect(ref.get(JobQueueService).add('ping', {})).resolves.toMatchObject({ jobName: 'ping', duplicate: false });
    });
  });

  describe('with an SDK', () => {
    const spans = new InMemorySpanExporter();
    const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const reader = new CollectingReader();
    const meterProvider = new MeterProvider({ readers: [reader] });

    beforeAll(() => {
      tracerProvider.register();
      metrics.setGlobalMeterProvider(meterProvider);
    });
    afterAll(async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    });
    afterEach(() => spans.reset());

    async function points(name: string): Promise<DataPoint<unknown>[]> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name)?.dataPoints ?? [];
    }

    it('writes traceparent, tracestate and X-Cloud-Trace-Context (span id in decimal) for the PRODUCER span', async () => {
      await boot();
      const parent = trace.setSpanContext(context.active(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, traceState: createTraceState('vendor=abc'), isRemote: true });
      const job = await context.with(parent, () => moduleRef!.get(JobQueueService).add('ping', { n: 1 }));
      const [producer] = spans.getFinishedSpans();
      expect(producer.kind).toBe(SpanKind.PRODUCER);
      expect(producer.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(producer.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(producer.attributes['messaging.message.id']).toBe(job.taskName.split('/').pop());
      const headers = taskHeaders()[0];
      const { spanId } = producer.spanContext();
      expect(headers).toEqual({
        'Content-Type': 'application/json',
        traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${spanId}-01`,
        tracestate: 'vendor=abc',
        'x-cloud-trace-context': `4bf92f3577b34da6a3ce929d0e0e4736/${BigInt(`0x${spanId}`).toString()};o=1`,
      });
    });

    it('addBulk: one PRODUCER span per item; a refused item ends its span as an error and times the enqueue with error.type', async () => {
      await boot();
      const before = (await points('messaging.client.operation.duration')).length;
      await expect(moduleRef!.get(JobQueueService).addBulk([{ name: 'ping', data: { n: 1 } }, { name: 'ping', data: { n: 2 } }, { name: 'ping', data: { n: 3 }, options: { delay: -1 } }])).rejects.toThrow();
      const producers = spans.getFinishedSpans().filter((s) => s.kind === SpanKind.PRODUCER);
      expect(producers).toHaveLength(3);
      expect(producers.filter((s) => s.status.code === 2).map((s) => s.attributes['error.type'])).toEqual([EnqueueValidationError.name]);
      expect(new Set(producers.map((s) => s.spanContext().traceId)).size).toBe(3);
      const durations = await points('messaging.client.operation.duration');
      expect(durations.length).toBeGreaterThan(before);
      expect(durations.some((p) => p.attributes['error.type'] === 'EnqueueValidationError')).toBe(true);
    });

    it('the inline transport carries the trace too: the CONSUMER span is the PRODUCER span\'s child', async () => {
      await boot({ transport: { default: 'inline' } });
      await moduleRef!.get(JobQueueService).add('ping', {});
      await moduleRef!.get(InlineTransport).drain();
      const producer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.PRODUCER)!;
      const consumer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
      expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      expect(consumer.attributes['messaging.gcp_cloud_tasks.outcome']).toBe('completed');
    });

    it('with a span already active at delivery (an HTTP server span of the app\'s instrumentation): it is the parent, the producer is the link', async () => {
      await boot();
      const producerSpanId = '00f067aa0ba902b7';
      const delivery = new JobDelivery(undefined, undefined, {});
      const handler = { jobName: 'ping' } as RegisteredJobHandler;
      delivery.set('route', { handler, queueName: 'ping-queue', taskName: 't1', retryCount: 2, executionCount: 2, carrier: { traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${producerSpanId}-01` } });
      const server = trace.getTracer('test-http').startSpan('POST /api/jobs/ping', { kind: SpanKind.SERVER });
      await context.with(trace.setSpan(context.active(), server), () => moduleRef!.get(JobTelemetry).traceDelivery(delivery, async () => Outcomes.success(null)));
      server.end();
      const consumer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
      expect(consumer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(consumer.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([['4bf92f3577b34da6a3ce929d0e0e4736', producerSpanId]]);
      expect(consumer.attributes['messaging.gcp_cloud_tasks.message.delivery_attempt']).toBe(3);
    });

    it('store unreachable with failMode open: the run is counted unclaimed, and every failed store call by operation', async () => {
      await boot({ transport: { default: 'inline' }, idempotency: { store: new UnreachableStore(), failMode: 'open' } });
      const ping = moduleRef!.get<ScriptedProcessor>(Ping);
      await moduleRef!.get(JobQueueService).add('ping', {});
      await moduleRef!.get(InlineTransport).drain();
      expect(ping.calls).toHaveLength(1);
      const unclaimed = await points('cloud_tasks.idempotency.unclaimed_runs');
      expect(unclaimed.map((p) => [p.attributes['messaging.gcp_cloud_tasks.job.name'], p.value])).toEqual([['ping', 1]]);
      const errors = await points('cloud_tasks.idempotency.store.errors');
      expect(errors.find((p) => p.attributes['messaging.gcp_cloud_tasks.store.operation'] === 'claim')?.value).toBe(1);
    });
  });
});
