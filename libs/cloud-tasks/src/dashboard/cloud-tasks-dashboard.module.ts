import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { RESOLVED_OPTIONS } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { CloudTasksClientHost } from '../queue/cloud-tasks-client.host.js';
import { JobQueueService } from '../queue/job-queue.service.js';
import { JobTransports } from '../transport/job-transports.js';
import { systemClock } from '../utils/clock.js';
import { DashboardAccess } from './dashboard-access.js';
import { createDashboardController } from './dashboard.controller.js';
import { DashboardCsrf } from './dashboard-csrf.js';
import { DashboardFeed } from './dashboard.feed.js';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, DASHBOARD_MODULE_OPTIONS, OPTIONS_TYPE } from './dashboard.module-definition.js';
import type { CloudTasksDashboardOptions } from './dashboard-options.interface.js';
import { DashboardPages } from './dashboard.pages.js';
import { DeliveryHistory } from './delivery-history.js';
import { QueueStateReader } from './queue-state.reader.js';
import { RESOLVED_DASHBOARD_OPTIONS, resolveDashboardOptions, type ResolvedDashboardOptions } from './resolved-dashboard-options.js';

const ROUTE_SETUP = Symbol('CloudTasksDashboardRouteSetup');

const providers: Provider[] = [
  {
    provide: RESOLVED_DASHBOARD_OPTIONS,
    inject: [DASHBOARD_MODULE_OPTIONS, RESOLVED_OPTIONS],
    useFactory: (options: CloudTasksDashboardOptions, core: ResolvedCloudTasksOptions) => resolveDashboardOptions(options, core.handlerPath),
  },
  {
    provide: DeliveryHistory,
    inject: [RESOLVED_DASHBOARD_OPTIONS],
    useFactory: (options: ResolvedDashboardOptions) => new DeliveryHistory(options.recentDeliveries, options.statsWindow, systemClock),
  },
  {
    provide: QueueStateReader,
    inject: [RESOLVED_OPTIONS, CloudTasksClientHost, JobQueueService, JobTransports, RESOLVED_DASHBOARD_OPTIONS],
    useFactory: (core: ResolvedCloudTasksOptions, clients: CloudTasksClientHost, queue: JobQueueService, transports: JobTransports, options: ResolvedDashboardOptions) =>
      new QueueStateReader(core, clients, queue, transports, systemClock, options.queueStateTtlMs),
  },
  { provide: DashboardCsrf, inject: [RESOLVED_DASHBOARD_OPTIONS], useFactory: (options: ResolvedDashboardOptions) => new DashboardCsrf(options.csrfSecret) },
  DashboardFeed,
  DashboardAccess,
  DashboardPages,
];

/**
 * An opt-in jobs dashboard served by the app under `path` (default `/_jobs`), on Express or Fastify: the queues with
 * their settings and live state (tasks waiting, oldest task, from Cloud Tasks or the emulator), this instance's recent
 * deliveries, success rate and p95 duration per job, and the dead letters (masked data) with retry and discard.
 * Server-rendered HTML, no script, no external asset.
 *
 * It needs `CloudTasksModule` (global by default) and, outside local mode, an access check: `access.guard` (a guard
 * of your app) and/or `access.identities` (an allow-list checked against IAP's signed header or a Google ID token);
 * without one the app fails at boot.
 *
 * @example
 * ```ts
 * CloudTasksDashboardModule.forRoot({
 *   access: { identities: { allow: ['ops@example.com'], iap: { audience: '/projects/123/global/backendServices/456' } } },
 * })
 * ```
 */
@Module({ providers })
export class CloudTasksDashboardModule extends ConfigurableModuleClass {
  /** Configures the dashboard with static options. */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withDashboardController(super.forRoot(options));
  }

  /** Configures the dashboard from a factory, class or existing provider (e.g. `ConfigService`). */
  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withDashboardController(super.forRootAsync(options));
  }
}

function withDashboardController(module: DynamicModule): DynamicModule {
  const controller = createDashboardController();
  const routeSetup: Provider = {
    provide: ROUTE_SETUP,
    inject: [RESOLVED_DASHBOARD_OPTIONS],
    // NOTE: routes are registered after providers are built, so the path can come from (async) options.
    useFactory: (options: ResolvedDashboardOptions) => Reflect.defineMetadata(PATH_METADATA, options.path, controller),
  };
  return { ...module, controllers: [...(module.controllers ?? []), controller], providers: [...(module.providers ?? []), routeSetup] };
}
