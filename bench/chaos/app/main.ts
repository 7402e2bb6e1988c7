import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { readChaosAppConfig } from './chaos-app.config.js';
import { ChaosAppModule } from './chaos-app.module.js';
import { ChaosWorkload } from './chaos.workload.js';

/** Prefix of the line the harness waits for. */
export const CHAOS_APP_READY = 'chaos-app listening';

/** One app instance of the fault suite, started by the harness (`node dist/bench/chaos/app/main.js`, config in the env). */
async function main(): Promise<void> {
  const config = readChaosAppConfig();
  const app = await NestFactory.create(ChaosAppModule.forRoot(config), { logger: ['error', 'warn'] });
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
