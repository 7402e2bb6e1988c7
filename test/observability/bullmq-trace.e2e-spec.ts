import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobQueueService } from '../../libs/cloud-tasks/src/index.js';
import { compileTestModule, queueConfig, scriptedHandler, waitFor, type ScriptedProcessor } from '../../libs/cloud-tasks/src/testing/index.js';

const Ping = scriptedHandler('ping');

/** The BullMQ transport over the real Redis: the job carries the producer's trace context to its worker. */
describe('OpenTelemetry through the BullMQ transport', () => {
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const prefix = `otel-bull-${randomUUID().slice(0, 8)}`;
  let moduleRef: TestingModule | undefined;

  beforeAll(() => provider.register());
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await provider.shutdown();
    // NOTE: the shared Redis keeps nothing of this suite: its queue lives under its own prefix.
    const queue = new Queue(`${prefix}-ping-queue`, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('the worker\'s CONSUMER span is the PRODUCER span\'s child, in the same trace', async () => {
    ({ moduleRef } = await compileTestModule({
      options: { queues: { ping: queueConfig(`${prefix}-ping-queue`) }, transport: { default: 'bullmq', bullmq: { connection: 'redis://127.0.0.1:6379', prefix } } },
      providers: [Ping],
    }));
    await moduleRef.init();
    const ping = moduleRef.get<ScriptedProcessor>(Ping);
    await moduleRef.get(JobQueueService).add('ping', { n: 1 });
    await waitFor(() => spans.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER), { timeoutMs: 15_000, what: 'the BullMQ delivery' });
    expect(ping.calls).toHaveLength(1);
    const producer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.PRODUCER)!;
    const consumer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.attributes['messaging.gcp_cloud_tasks.outcome']).toBe('completed');
  });
});
