import { Module, type DynamicModule } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryModule } from '@nestjs/core';
import { TokenVerifier } from './auth/token-verifier.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './cloud-tasks.module-definition.js';
import {
  clientProvider,
  deadLetterStoreProvider,
  enqueueLimiterProvider,
  idempotencyStoreProvider,
  localModeProvider,
  resolvedOptionsProvider,
  tokenVerifierProvider,
  upstashRedisProvider,
} from './cloud-tasks.providers.js';
import { CLOUD_TASKS_CLIENT, JOB_QUEUE, RESOLVED_OPTIONS } from './cloud-tasks.tokens.js';
import { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
import { DeadLetterService } from './dead-letter/dead-letter.service.js';
import { JobPipeline } from './delivery/job-pipeline.js';
import { JobRunner } from './delivery/job.runner.js';
import { JobEnvelopeParser } from './envelope/job-envelope.parser.js';
import { JobEventBus } from './events/job-event-bus.js';
import { JobLifecycleLogger } from './events/job-lifecycle.logger.js';
import { JobHandlerExplorer } from './handlers/job-handler.explorer.js';
import { JobHandlerRegistry } from './handlers/job-handler.registry.js';
import { JobHttpAdapterHost } from './http/adapters/job-http-adapter.host.js';
import { JobBodyReader } from './http/job-body.reader.js';
import { createJobController } from './http/job.controller.js';
import { IdempotencyStore } from './idempotency/idempotency-store.interface.js';
import { ClaimRenewer } from './idempotency/claim-renewer.js';
import { JobClaims } from './idempotency/job-claims.js';
import { StoreOutbox } from './idempotency/store-outbox.js';
import { TimeScale } from './time/time-scale.js';
import { EnqueueLimiter } from './rate-limit/enqueue-limiter.interface.js';
import { EnqueueLimits } from './rate-limit/enqueue-limits.js';
import { CLOUD_TASKS_LOCAL_MODE } from './options/local-mode.js';
import type { ResolvedCloudTasksOptions } from './options/resolved-options.js';
import { QueueProvisioner } from './provisioner/queue-provisioner.js';
import { CloudTasksClientHost } from './queue/cloud-tasks-client.host.js';
import { JobQueueService } from './queue/job-queue.service.js';
import { CloudTasksTransport } from './transport/cloud-tasks.transport.js';
import { InlineTransport } from './transport/inline.transport.js';
import { JobTransports } from './transport/job-transports.js';
import { ScheduleFires } from './schedules/schedule-fires.js';
import { ScheduleValidator } from './schedules/schedule.validator.js';
import { CloudSchedulerClientHost } from './schedules/cloud-scheduler-client.host.js';
import { ScheduleProvisioner } from './schedules/schedule-provisioner.js';
import { CloudTasksHealthIndicator } from './health/cloud-tasks.health-indicator.js';
import { JobTelemetry } from './telemetry/job-telemetry.js';
import { loadOpenTelemetryApi, OPENTELEMETRY_API } from './telemetry/opentelemetry-api.js';

const ROUTE_SETUP = Symbol('CloudTasksRouteSetup');

/**
 * Cloud Tasks jobs for Nest: `JobQueueService` to enqueue, `@JobHandler()` classes to process, and the generated
 * `POST /{handlerPath}/:jobName` endpoint (OIDC guard → request checks → idempotency → processor), on Express or
 * Fastify. Global by default (`isGlobal: false` to scope it); `providers` replace the module's pieces.
 *
 * @example
 * ```ts
 * CloudTasksModule.forRootAsync({
 *   imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ projectId: config.getOrThrow('GCP_PROJECT_ID'), … }),
 *   providers: [{ provide: TokenVerifier, useClass: MyVerifier }], // optional
 * })
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    localModeProvider,
    resolvedOptionsProvider,
    clientProvider,
    CloudTasksClientHost,
    upstashRedisProvider,
    idempotencyStoreProvider,
    deadLetterStoreProvider,
    tokenVerifierProvider,
    enqueueLimiterProvider,
    EnqueueLimits,
    JobEventBus,
    JobQueueService,
    { provide: JOB_QUEUE, useExisting: JobQueueService },
    CloudTasksTransport,
    InlineTransport,
    JobTransports,
    JobHandlerRegistry,
    JobHandlerExplorer,
    JobHttpAdapterHost,
    JobBodyReader,
    JobEnvelopeParser,
    JobClaims,
    ClaimRenewer,
    StoreOutbox,
    TimeScale,
    JobRunner,
    JobPipeline,
    DeadLetterService,
    QueueProvisioner,
    JobLifecycleLogger,
    ScheduleFires,
    ScheduleValidator,
    CloudSchedulerClientHost,
    ScheduleProvisioner,
    { provide: OPENTELEMETRY_API, useFactory: loadOpenTelemetryApi },
    JobTelemetry,
    CloudTasksHealthIndicator,
  ],
  exports: [
    JobQueueService,
    DeadLetterService,
    JobEventBus,
    IdempotencyStore,
    DeadLetterStore,
    TokenVerifier,
    EnqueueLimiter,
    CLOUD_TASKS_CLIENT,
    CloudTasksClientHost,
    RESOLVED_OPTIONS,
    CLOUD_TASKS_LOCAL_MODE,
    QueueProvisioner,
    InlineTransport,
    JobTransports,
    CloudSchedulerClientHost,
    CloudTasksHealthIndicator,
  ],
})
export class CloudTasksModule extends ConfigurableModuleClass {
  /** Configures the module with static options. */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withJobController(super.forRoot(options));
  }

  /** Configures the module from a factory, class or existing provider (e.g. `ConfigService`). */
  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withJobController(super.forRootAsync(options));
  }
}

function withJobController(module: DynamicModule): DynamicModule {
  const controller = createJobController();
  const routeSetup = {
    provide: ROUTE_SETUP,
    inject: [RESOLVED_OPTIONS],
    // NOTE: routes are registered after providers are built, so the path can come from (async) options.
    useFactory: (options: ResolvedCloudTasksOptions) => Reflect.defineMetadata(PATH_METADATA, options.handlerPath, controller),
  };
  return { ...module, controllers: [...(module.controllers ?? []), controller], providers: [...(module.providers ?? []), routeSetup] };
}
