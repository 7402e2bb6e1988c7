import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CloudTasksDashboardModule, CloudTasksModule } from '@nest-cloud-tasks/core';
import type { AppEnv } from './config/app-env.js';
import { cloudTasksOptionsFactory } from './config/cloud-tasks.options.js';
import { dashboardOptions } from './config/dashboard.options.js';
import { DevJobsController } from './dev/dev-jobs.controller.js';
import { HealthController } from './dev/health.controller.js';
import { DomainModule } from './domain/domain.module.js';
import { JobsModule } from './jobs/jobs.module.js';

/** The CatchUp service: 11 job processors on Cloud Tasks. */
@Module({})
export class AppModule {
  /** @param env the checked configuration (see `loadAppEnv`), so tests can boot the app with their own. */
  static forRoot(env: AppEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...env })] }),
        CloudTasksModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: cloudTasksOptionsFactory }),
        DomainModule,
        JobsModule,
        ...(env.JOBS_DASHBOARD ? [CloudTasksDashboardModule.forRoot(dashboardOptions(env))] : []),
      ],
      controllers: env.ENABLE_DEV_ENDPOINTS ? [HealthController, DevJobsController] : [HealthController],
    };
  }
}
