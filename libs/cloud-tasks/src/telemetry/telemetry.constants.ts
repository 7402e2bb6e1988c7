/** The instrumentation scope of the module's spans and metrics (`trace.getTracer` / `metrics.getMeter` name). */
export const TELEMETRY_SCOPE = '@nest-cloud-tasks/core';

/** `messaging.system` of every span and metric: Cloud Tasks is not in the conventions' list, so its own name. */
export const MESSAGING_SYSTEM = 'gcp_cloud_tasks';

/** Span and metric attribute names (OpenTelemetry messaging conventions, and this system's own under its prefix). */
export const TelemetryAttributes = {
  System: 'messaging.system',
  Destination: 'messaging.destination.name',
  OperationType: 'messaging.operation.type',
  OperationName: 'messaging.operation.name',
  MessageId: 'messaging.message.id',
  BodySize: 'messaging.message.body.size',
  ErrorType: 'error.type',
  JobName: 'messaging.gcp_cloud_tasks.job.name',
  Attempt: 'messaging.gcp_cloud_tasks.message.delivery_attempt',
  Outcome: 'messaging.gcp_cloud_tasks.outcome',
  Duplicate: 'messaging.gcp_cloud_tasks.duplicate',
  StoreOperation: 'messaging.gcp_cloud_tasks.store.operation',
  StatusCode: 'http.response.status_code',
} as const;

/** The metrics the module records (names, units and attributes are listed in docs/observability.md). */
export const TelemetryMetrics = {
  Deliveries: 'cloud_tasks.deliveries',
  ProcessDuration: 'messaging.process.duration',
  EnqueueDuration: 'messaging.client.operation.duration',
  SentMessages: 'messaging.client.sent.messages',
  StoreDuration: 'cloud_tasks.idempotency.store.duration',
  StoreErrors: 'cloud_tasks.idempotency.store.errors',
  UnclaimedRuns: 'cloud_tasks.idempotency.unclaimed_runs',
} as const;

/** How a delivery ended, as the `messaging.gcp_cloud_tasks.outcome` attribute names it. */
export type DeliveryOutcome = 'completed' | 'retried' | 'dead' | 'duplicate' | 'busy' | 'unavailable';

/** The trace headers `add()` writes into every task (W3C Trace Context, and Cloud Trace's own for Cloud Logging). */
export const TraceHeaders = {
  TraceParent: 'traceparent',
  TraceState: 'tracestate',
  CloudTraceContext: 'x-cloud-trace-context',
} as const;

/** Bucket boundaries of the duration histograms, in seconds (the conventions' advice, up to Cloud Tasks' 30 min deadline). */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 600, 1800];
