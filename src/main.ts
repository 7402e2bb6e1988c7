import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { AppModule } from './app.module.js';
import { QueueProvisioner } from '@nest-cloud-tasks/core';
import { AppEnvError, loadAppEnv, wantsEmbeddedEmulator } from './config/app-env.js';
import { createHttpApp } from './http-app.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('CatchUp');
  if (existsSync('.env')) process.loadEnvFile('.env');
  let env = loadAppEnv();
  let stopLocal: (() => Promise<void>) | undefined;
  if (wantsEmbeddedEmulator(env)) {
    // NOTE: loaded only here: a service talking to Cloud Tasks (or an external emulator) never loads the emulator.
    const { startLocalInfrastructure } = await import('./local-infrastructure.js');
    const local = await startLocalInfrastructure(env, logger);
    env = local.env;
    stopLocal = () => local.emulator.close();
  }
  // NOTE: JSON lines are what Cloud Logging parses into structured entries (severity, fields).
  const json = env.LOG_FORMAT === 'json';
  const app = await createHttpApp(AppModule.forRoot(env), env, { logger: new ConsoleLogger({ json, flattenParams: true, compact: true, breakLength: Infinity }) });
  await app.listen(env.PORT, '0.0.0.0');
  // NOTE: the in-process emulator gets the schedules at every start, so they fire as they would on Cloud Scheduler;
  // against Google Cloud, or an emulator of your own, the sync is a deploy step (npm run queues:sync), as for queues.
  if (stopLocal) logger.log((await app.get(QueueProvisioner).sync()).scheduleSummary());
  logger.log(`CatchUp listening on :${env.PORT} on ${env.HTTP_ADAPTER} (jobs at POST /api/jobs/:jobName${env.ENABLE_DEV_ENDPOINTS ? ', try POST /dev/jobs/:jobName' : ''})`);
  if (env.JOBS_DASHBOARD) logger.log(`Jobs dashboard: http://localhost:${env.PORT}/${(env.JOBS_DASHBOARD_PATH ?? '_jobs').replace(/^\/+/, '')}`);
  // NOTE: app.close() runs the shutdown hooks: in-flight requests finish, the Cloud Tasks client closes.
  const shutdown = async () => {
    const server = app.getHttpServer() as import('node:http').Server;
    // NOTE: idle keep-alive sockets would hold close() for the keep-alive timeout; in-flight requests still finish.
    server.closeIdleConnections();
    await app.close();
    await stopLocal?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

bootstrap().catch((error: unknown) => {
  if (error instanceof AppEnvError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
