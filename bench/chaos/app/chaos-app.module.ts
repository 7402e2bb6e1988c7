import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CloudTasksModule } from '@nest-cloud-tasks/core';
import type { ChaosAppConfig } from './chaos-app.config.js';
import { ChaosStatsController } from './chaos-stats.controller.js';
import { chaosProcessor } from './chaos.processor.js';
import { ChaosWorkload } from './chaos.workload.js';
import { InFlightInterceptor } from './in-flight.interceptor.js';

/** Records kept briefly: the suite removes its keys, and what a crash leaves behind expires on its own. */
const RECORD_TTL_SECONDS = 3_600;

/** The app under test: the real CloudTasksModule (verify-signature, Upstash idempotency and dead letters) and chaos processors. */
@Module({})
export class ChaosAppModule {
  static forRoot(config: ChaosAppConfig): DynamicModule {
    return {
      module: ChaosAppModule,
      imports: [
        CloudTasksModule.forRoot({
          projectId: config.projectId,
          location: config.location,
          serviceUrl: config.serviceUrl,
          serviceAccountEmail: config.serviceAccountEmail,
          queues: config.queues,
          emulatorHost: config.emulatorHost,
          auth: { mode: 'verify-signature', certsUrl: config.certsUrl },
          idempotency: { upstash: config.upstash, failMode: config.failMode, ttlSeconds: RECORD_TTL_SECONDS },
          deadLetters: { ttlSeconds: RECORD_TTL_SECONDS },
        }),
      ],
      controllers: [ChaosStatsController],
      providers: [
        { provide: ChaosWorkload, useFactory: () => new ChaosWorkload(config) },
        { provide: APP_INTERCEPTOR, useClass: InFlightInterceptor },
        ...Object.entries(config.behaviours).map(([jobName, behaviour]) => chaosProcessor(jobName, behaviour)),
      ],
    };
  }
}
