import { Logger } from '@nestjs/common';
import { startEmulator, type CloudTasksEmulator } from '@nest-cloud-tasks/emulator';
import type { AppEnv } from './config/app-env.js';
import { QUEUE_CONFIGS } from './config/queue.config.js';

export const LOCAL_PROJECT_ID = 'catchup-local';
export const LOCAL_REGION = 'local';
export const LOCAL_SERVICE_ACCOUNT = 'catchup-tasks@catchup-local.iam.gserviceaccount.com';

/**
 * With no GCP configuration, runs the Cloud Tasks emulator in-process with the app's 11 queues and points the app at
 * it (it also plays Cloud Scheduler: `main.ts` syncs the schedules into it once the app listens). `clockStart` starts
 * the emulator clock at that instant (the demo starts it just before a tick). Tokens are really signed and verified
 * against the emulator's /certs: the local path is the secure path.
 */
export async function startLocalInfrastructure(env: AppEnv, logger = new Logger('Local'), { clockStart }: { clockStart?: Date } = {}): Promise<{ env: AppEnv; emulator: CloudTasksEmulator }> {
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: env.EMULATOR_GRPC_PORT,
    httpPort: env.EMULATOR_HTTP_PORT,
    timeScale: env.EMULATOR_TIME_SCALE,
    clockStart,
    queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS },
  });
  logger.log(`Cloud Tasks emulator in-process: grpc=${emulator.grpcAddress} certs=${emulator.certsUrl} (11 queues)`);
  return {
    emulator,
    env: {
      ...env,
      GCP_PROJECT_ID: LOCAL_PROJECT_ID,
      GCP_REGION: LOCAL_REGION,
      CLOUD_RUN_URL: env.CLOUD_RUN_URL ?? `http://127.0.0.1:${env.PORT}`,
      SERVICE_ACCOUNT_EMAIL: LOCAL_SERVICE_ACCOUNT,
      CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress,
      OIDC_CERTS_URL: env.OIDC_CERTS_URL ?? emulator.certsUrl,
      JOBS_AUTH_MODE: env.JOBS_AUTH_MODE ?? 'verify-signature',
    },
  };
}
