export { CloudTasksModule } from './cloud-tasks.module.js';
export type { CloudTasksModuleAsyncOptions } from './cloud-tasks.module-definition.js';
export * from './interfaces/index.js';
export * from './errors/index.js';
export * from './handlers/index.js';
export { JobQueueService } from './queue/job-queue.service.js';
export { CloudTasksClientHost } from './queue/cloud-tasks-client.host.js';
export { InlineTransport, type InlineAttempt } from './transport/inline.transport.js';
export { JobTransports } from './transport/job-transports.js';
export { parseTransportRouting, type TransportRouting } from './transport/transport-routing.js';
export type { TransportName, PreparedJob, SentJob, JobTransport } from './transport/job-transport.js';
export type { BullmqConnection } from './transport/bullmq-transport.options.js';
export { OidcAuthGuard } from './auth/oidc-auth.guard.js';
export { TokenVerifier } from './auth/token-verifier.js';
export { OidcTokenVerifier, SIGNATURE_REMOVED } from './auth/oidc-token.verifier.js';
export type { JobCaller } from './delivery/job-delivery.js';
export { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
export { IdempotencyStore } from './idempotency/idempotency-store.interface.js';
export type { ClaimResult, DoneRecord, IdempotencyRecord, ProcessingRecord, WriteResult } from './idempotency/idempotency-store.interface.js';
export { MemoryIdempotencyStore } from './idempotency/memory-idempotency.store.js';
export { UpstashIdempotencyStore } from './idempotency/upstash-idempotency.store.js';
export { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
export type { DeadLetterListOptions, DeadLetterPage, DeadLetterRecord, DeadLetterView, DeadLetterViewPage } from './dead-letter/dead-letter-store.interface.js';
export { MemoryDeadLetterStore } from './dead-letter/memory-dead-letter.store.js';
export { UpstashDeadLetterStore } from './dead-letter/upstash-dead-letter.store.js';
export { DeadLetterService } from './dead-letter/dead-letter.service.js';
export * from './rate-limit/index.js';
export { JobEventBus } from './events/job-event-bus.js';
export type { JobEvent, JobEventListener, JobEventType } from './events/job-event.interface.js';
export { JobLifecycleLogger, jobLifecycleLogEntry, CLOUD_LOGGING_TRACE_FIELD, type JobLifecycleLogEntry, type LifecycleSeverity } from './events/job-lifecycle.logger.js';
export * from './provisioner/index.js';
export type { CliCommandName, CliInvocation, CloudTasksCliConfig } from './cli/cli-config.js';
export { CloudTasksHeaders, JOB_OUTCOME_HEADER } from './cloud-tasks.constants.js';
export { CLOUD_TASKS_LOCAL_MODE, type LocalMode } from './options/local-mode.js';
export {
  InjectDeadLetterStore,
  InjectEnqueueLimiter,
  InjectIdempotencyStore,
  CLOUD_TASKS_CLIENT,
} from './cloud-tasks.tokens.js';
export { CloudSchedulerHeaders, CLOUD_SCHEDULER_DEFAULTS } from './schedules/schedule.constants.js';
export { cronProblem, type ResolvedSchedule } from './schedules/schedule.rules.js';
export { CloudSchedulerClientHost } from './schedules/cloud-scheduler-client.host.js';
export {
  CloudTasksHealthIndicator,
  type CloudTasksDependencyHealth,
  type CloudTasksHealthOptions,
  type CloudTasksHealthResult,
  type CloudTasksHealthState,
  type CloudTasksHealthStatus,
} from './health/cloud-tasks.health-indicator.js';
export { TELEMETRY_SCOPE, MESSAGING_SYSTEM, TelemetryAttributes, TelemetryMetrics, TraceHeaders, type DeliveryOutcome } from './telemetry/telemetry.constants.js';
export * from './monitoring/index.js';
export * from './dashboard/index.js';
// Types that appear in public or protected signatures (subclasses, plug-ins, custom stores), exported as types only.
export type { ResolvedCloudTasksOptions } from './options/resolved-options.js';
export type { JobOutcome, JobOutcomeKind } from './delivery/job-outcome.js';
export type { BullmqTransportOptions } from './transport/bullmq-transport.options.js';
export type { Clock } from './utils/clock.js';
export type { PayloadLimits } from './limits/job-limits.js';
export type { DeadJobInput } from './dead-letter/dead-letter.service.js';
export type { MemoryIdempotencyStoreOptions } from './idempotency/memory-idempotency.store.js';
export type { UpstashIdempotencyStoreOptions } from './idempotency/upstash-idempotency.store.js';
export type { MemoryDeadLetterStoreOptions } from './dead-letter/memory-dead-letter.store.js';
export type { UpstashDeadLetterStoreOptions } from './dead-letter/upstash-dead-letter.store.js';
