import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { readChaosAppConfig } from './chaos-app.config.js';
import { ChaosAppModule } from './chaos-app.module.js';
import { ChaosWorkload } from './chaos.workload.js';

/** Prefix of the line the harness waits for. */
export const CHAOS_APP_READY = 'chaos-app listening';

/** One app instance of the fault suite, started by the harness (`node dist/bench/chaos/app/main.js`, config in the env). */
async function main(): Promise<void> {
  const config = readChaosAppConfig();
  const module = ChaosAppModule.forRoot(config);
  // NOTE: CHAOS_HTTP_ADAPTER=fastify runs every instance on Fastify (the harness passes its environment on).
  const app = process.env.CHAOS_HTTP_ADAPTER === 'fastify'
    ? await NestFactory.create(module, new FastifyAdapter(), { logger: ['error', 'warn'] })
    : await NestFactory.create(module, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${CHAOS_APP_READY} instance=${config.instance} url=http://127.0.0.1:${port} pid=${process.pid}\n`);
  const stop = () => {
    void app
      .close()
      .then(() => app.get(ChaosWorkload).close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos-app failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
