import { Inject, Injectable } from '@nestjs/common';
import type { Attributes, Context, Counter, Histogram, Span, SpanContext, Tracer, TracerProvider } from '@opentelemetry/api';
import type { JobDelivery } from '../delivery/job-delivery.js';
import type { JobOutcome, JobOutcomeKind } from '../delivery/job-outcome.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.interface.js';
import type { EnqueuedJob } from '../interfaces/enqueue.interface.js';
import { InstrumentedIdempotencyStore, type StoreTimer } from './instrumented-idempotency.store.js';
import { OPENTELEMETRY_API, type OpenTelemetryApi } from './opentelemetry-api.js';
import {
  DURATION_BUCKETS_SECONDS,
  MESSAGING_SYSTEM,
  TELEMETRY_SCOPE,
  TelemetryAttributes as A,
  TelemetryMetrics as M,
  TraceHeaders,
  type DeliveryOutcome,
} from './telemetry.constants.js';

const OUTCOMES: Record<JobOutcomeKind, DeliveryOutcome> = {
  success: 'completed',
  retry: 'retried',
  dead: 'dead',
  duplicate: 'duplicate',
  busy: 'busy',
  unavailable: 'unavailable',
};

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** What the module records through OpenTelemetry, built once per module instance when `@opentelemetry/api` is there. */
interface Instruments {
  api: OpenTelemetryApi;
  tracer: Tracer;
  /** What the API answers while no SDK registered a tracer provider. */
  noopTracerProvider: TracerProvider;
  /** False when no meter provider was registered before the module was built: the instruments record nothing. */
  metrics: boolean;
  deliveries: Counter;
  processDuration: Histogram;
  enqueueDuration: Histogram;
  sent: Counter;
  storeDuration: Histogram;
  storeErrors: Counter;
  unclaimed: Counter;
}

/**
 * The module's OpenTelemetry side, through `@opentelemetry/api` only: the app registers an SDK (tracer and meter
 * providers, a propagator, a context manager) before it creates the Nest app, or nothing is recorded. Spans: a PRODUCER
 * span per `add()`, whose context travels in the task's headers, and a CONSUMER span per delivery, linked to it. Metrics:
 * deliveries by outcome, processing and enqueue durations, idempotency store latency and failures, unclaimed runs.
 */
@Injectable()
export class JobTelemetry {
  private readonly otel;

  /** @param api the loaded `@opentelemetry/api`, or null (typed loosely so the declarations never need the package). */
  constructor(@Inject(OPENTELEMETRY_API) api: unknown) {
    this.otel = api ? instrumentsOf(api as OpenTelemetryApi) : undefined;
  }

  /**
   * Runs one enqueue inside a PRODUCER span: `enqueue` receives the trace headers to put on the task (none without an
   * SDK), and the span and the enqueue duration record what it did.
   */
  async traceEnqueue(jobName: string, queue: string | undefined, enqueue: (traceHeaders: Readonly<Record<string, string>>) => Promise<EnqueuedJob>): Promise<EnqueuedJob> {
    const otel = this.otel;
    const tracing = otel !== undefined && this.tracing(otel);
    if (!otel || (!tracing && !otel.metrics)) return enqueue(NO_HEADERS);
    const { api } = otel;
    const started = performance.now();
    const attributes: Attributes = { [A.System]: MESSAGING_SYSTEM, [A.Destination]: queue ?? jobName, [A.OperationName]: 'send', [A.JobName]: jobName };
    const span = tracing ? otel.tracer.startSpan(`send ${queue ?? jobName}`, { kind: api.SpanKind.PRODUCER, attributes: { ...attributes, [A.OperationType]: 'send' } }) : undefined;
    const context = span ? api.trace.setSpan(api.context.active(), span) : undefined;
    let errorType: string | undefined;
    try {
      const job = context && span ? await api.context.with(context, () => enqueue(traceHeadersOf(api, context, span))) : await enqueue(NO_HEADERS);
      span?.setAttribute(A.MessageId, job.taskName.slice(job.taskName.lastIndexOf('/') + 1));
      span?.setAttribute(A.Duplicate, job.duplicate);
      if (otel.metrics) otel.sent.add(1, attributes);
      return job;
    } catch (error) {
      errorType = errorTypeOf(error);
      span?.setAttribute(A.ErrorType, errorType);
      span?.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span?.end();
      if (otel.metrics) otel.enqueueDuration.record((performance.now() - started) / 1000, errorType ? { ...attributes, [A.ErrorType]: errorType } : attributes);
    }
  }

  /**
   * Runs one delivery (claim, run, settle) inside a CONSUMER span, started when the request arrived. Its parent is the
   * span already active (an HTTP server span of the app's instrumentation) or else the producer's context from the
   * task's headers; the producer's context is also its link. Counts the delivery once, by its outcome.
   */
  async traceDelivery(delivery: JobDelivery, deliver: () => Promise<JobOutcome>): Promise<JobOutcome> {
    const otel = this.otel;
    const tracing = otel !== undefined && this.tracing(otel);
    if (!otel || (!tracing && !otel.metrics)) return deliver();
    const { api } = otel;
    const route = delivery.get('route');
    const attributes: Attributes = { [A.System]: MESSAGING_SYSTEM, [A.Destination]: route.queueName, [A.OperationName]: 'process', [A.JobName]: route.handler.jobName };
    let span: Span | undefined;
    let outcome: JobOutcome | undefined;
    try {
      if (!tracing) return (outcome = await deliver());
      const active = api.context.active();
      const producer = producerContextOf(api, route.carrier);
      const parent = producer && !api.trace.getSpan(active) ? api.trace.setSpanContext(active, producer) : active;
      span = otel.tracer.startSpan(
        `process ${route.queueName}`,
        {
          kind: api.SpanKind.CONSUMER,
          startTime: delivery.receivedAt,
          links: producer ? [{ context: producer }] : undefined,
          attributes: {
            ...attributes,
            [A.OperationType]: 'process',
            [A.MessageId]: route.taskName,
            [A.Attempt]: route.retryCount + 1,
            ...(delivery.has('body') ? { [A.BodySize]: delivery.get('body').length } : {}),
          },
        },
        parent,
      );
      return (outcome = await api.context.with(api.trace.setSpan(parent, span), deliver));
    } finally {
      const name = outcome ? OUTCOMES[outcome.kind] : 'retried';
      if (span) endConsumerSpan(api, span, name, outcome);
      if (otel.metrics) {
        const metric = { ...attributes, [A.Outcome]: name };
        otel.deliveries.add(1, metric);
        otel.processDuration.record((Date.now() - delivery.receivedAt) / 1000, metric);
        const claim = delivery.has('claim') ? delivery.get('claim') : undefined;
        if (claim?.run && claim.key !== undefined && claim.held === false) otel.unclaimed.add(1, attributes);
      }
    }
  }

  /**
   * Whether spans can be recorded now: an SDK registered a tracer provider (possibly after the module was built: the
   * API's proxy hands spans to it from then on).
   */
  private tracing(otel: Instruments): boolean {
    const provider = otel.api.trace.getTracerProvider();
    const delegate = provider instanceof otel.api.ProxyTracerProvider ? provider.getDelegate() : provider;
    return delegate !== otel.noopTracerProvider;
  }

  /** The store, timed per call when metrics can be recorded; the store itself otherwise. */
  instrumentStore(store: IdempotencyStore): IdempotencyStore {
    const otel = this.otel;
    if (!otel?.metrics || store instanceof InstrumentedIdempotencyStore) return store;
    const timer: StoreTimer = (operation, seconds, failed) => {
      const attributes = { [A.System]: MESSAGING_SYSTEM, [A.StoreOperation]: operation, ...(failed ? { [A.ErrorType]: 'store_error' } : {}) };
      otel.storeDuration.record(seconds, attributes);
      if (failed) otel.storeErrors.add(1, attributes);
    };
    return new InstrumentedIdempotencyStore(store, timer);
  }
}

function instrumentsOf(api: OpenTelemetryApi): Instruments {
  const meter = api.metrics.getMeter(TELEMETRY_SCOPE);
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS } };
  return {
    api,
    tracer: api.trace.getTracer(TELEMETRY_SCOPE),
    noopTracerProvider: new api.ProxyTracerProvider().getDelegate(),
    metrics: meter !== api.createNoopMeter(),
    deliveries: meter.createCounter(M.Deliveries, { unit: '{delivery}', description: 'Job deliveries handled, by outcome (completed, retried, dead, duplicate, busy, unavailable).' }),
    processDuration: meter.createHistogram(M.ProcessDuration, { ...seconds, description: 'Time from a delivery reaching the job endpoint to its answer, by job and outcome.' }),
    enqueueDuration: meter.createHistogram(M.EnqueueDuration, { ...seconds, description: 'Duration of add(): checks, then creating the task (retries included).' }),
    sent: meter.createCounter(M.SentMessages, { unit: '{message}', description: 'Jobs enqueued by add().' }),
    storeDuration: meter.createHistogram(M.StoreDuration, { ...seconds, description: 'Idempotency store calls, by operation.' }),
    storeErrors: meter.createCounter(M.StoreErrors, { unit: '{error}', description: 'Idempotency store calls that failed, by operation.' }),
    unclaimed: meter.createCounter(M.UnclaimedRuns, { unit: '{run}', description: 'Deliveries run without a claim because the store did not answer (failMode open).' }),
  };
}

/** Ends a CONSUMER span with the delivery's outcome (status ERROR for retried and dead deliveries, with the redacted error). */
function endConsumerSpan(api: OpenTelemetryApi, span: Span, name: DeliveryOutcome, outcome: JobOutcome | undefined): void {
  const error = outcome ? (outcome.kind === 'retry' || outcome.kind === 'dead' ? outcome.error : undefined) : 'internal error';
  span.setAttribute(A.Outcome, name);
  span.setAttribute(A.StatusCode, outcome?.status ?? 500);
  if (error !== undefined) {
    span.setAttribute(A.ErrorType, outcome?.kind === 'dead' ? `dead:${outcome.deadReason ?? 'permanent'}` : outcome ? 'retryable' : 'internal');
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error });
  }
  span.end();
}

/**
 * The headers that carry the producer span's context: what the app's propagator writes, plus `traceparent` and Cloud
 * Trace's `X-Cloud-Trace-Context` (so Cloud Logging ties the delivery's log lines to the trace) when it did not.
 */
function traceHeadersOf(api: OpenTelemetryApi, context: Context, span: Span): Readonly<Record<string, string>> {
  const spanContext = span.spanContext();
  if (!api.isSpanContextValid(spanContext)) return NO_HEADERS;
  const headers: Record<string, string> = {};
  api.propagation.inject(context, headers);
  const sampled = spanContext.traceFlags & api.TraceFlags.SAMPLED;
  headers[TraceHeaders.TraceParent] ??= `00-${spanContext.traceId}-${spanContext.spanId}-0${sampled}`;
  const state = spanContext.traceState?.serialize();
  if (state && headers[TraceHeaders.TraceState] === undefined) headers[TraceHeaders.TraceState] = state;
  headers[TraceHeaders.CloudTraceContext] ??= `${spanContext.traceId}/${BigInt(`0x${spanContext.spanId}`).toString()};o=${sampled}`;
  return headers;
}

/** The producer's span context from a delivery's headers: through the app's propagator, else the W3C header itself. */
function producerContextOf(api: OpenTelemetryApi, carrier: Readonly<Record<string, string | string[] | undefined>> | undefined): SpanContext | undefined {
  if (!carrier) return undefined;
  const extracted = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, carrier));
  if (extracted && api.isSpanContextValid(extracted)) return extracted;
  const header = carrier[TraceHeaders.TraceParent];
  const match = TRACEPARENT.exec((Array.isArray(header) ? header[0] : header) ?? '');
  if (!match) return undefined;
  const parsed: SpanContext = { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16) & api.TraceFlags.SAMPLED, isRemote: true };
  return api.isSpanContextValid(parsed) ? parsed : undefined;
}

/** `error.type`: the error's class name (EnqueueValidationError, EnqueueError, …). */
function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name || 'Error' : '_OTHER';
}
