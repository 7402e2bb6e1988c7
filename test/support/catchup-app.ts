import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { loadAppEnv, type AppEnv } from '../../src/config/app-env.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION, LOCAL_SERVICE_ACCOUNT } from '../../src/local-infrastructure.js';
import { createHttpApp, type HttpAdapterName } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

export interface CatchUpApp {
  app: INestApplication;
  url: string;
  env: AppEnv;
  close(): Promise<void>;
}

/**
 * Boots the CatchUp app on a real port. With `emulator`, it enqueues into it and verifies its tokens
 * (verify-signature against its /certs); without, auth is off and nothing is enqueued.
 */
export async function bootCatchUp(
  options: { emulator?: { grpcAddress: string; certsUrl: string }; env?: Partial<AppEnv>; adapter?: HttpAdapterName; override?: (builder: TestingModuleBuilder) => TestingModuleBuilder } = {},
): Promise<CatchUpApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: AppEnv = {
    ...loadAppEnv({ NODE_ENV: 'test' }),
    PORT: port,
    GCP_PROJECT_ID: LOCAL_PROJECT_ID,
    GCP_REGION: LOCAL_REGION,
    CLOUD_RUN_URL: url,
    SERVICE_ACCOUNT_EMAIL: LOCAL_SERVICE_ACCOUNT,
    ...(options.emulator
      ? { CLOUD_TASKS_EMULATOR_HOST: options.emulator.grpcAddress, OIDC_CERTS_URL: options.emulator.certsUrl, JOBS_AUTH_MODE: 'verify-signature' as const }
      : { CLOUD_TASKS_EMULATOR_HOST: '127.0.0.1:1', JOBS_AUTH_MODE: 'none' as const }),
    ...options.env,
  };
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(env)] });
  const moduleRef = await (options.override?.(builder) ?? builder).compile();
  const app = await createHttpApp(moduleRef, options.adapter ?? 'express', { logger: ['error', 'warn'] });
  await app.listen(port, '127.0.0.1');
  return { app, url, env, close: () => app.close() };
}
