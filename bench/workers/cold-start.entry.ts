/**
 * One cold start, forked by the cold-start bench: `node cold-start.entry.js <app|bare> <express|fastify>`. Boots the
 * example service (`AppModule.forRoot(loadAppEnv())`, configured by the environment the bench passes: the emulator's
 * gRPC address and certs URL) or a bare Nest app of the same adapter, listens on a free port, and tells the bench
 * (IPC) when it is ready, with the milestones in ms since the process started; then answers `rss` and exits on
 * `exit`. Nothing is imported before the first milestone but Node built-ins: the imports are part of what is timed.
 */
import type { AddressInfo } from 'node:net';

export type ColdStartKind = 'app' | 'bare';

/** What the entry reports once it listens: ms since process start (`performance.now()`) at each step. */
export interface ColdStartMarks {
  port: number;
  /** The entry's first line ran (Node itself has booted). */
  entry: number;
  /** The app's modules are imported (Nest, the adapter, the module tree). */
  imported: number;
  /** `NestFactory.create` resolved (modules, providers, onModuleInit). */
  created: number;
  /** `app.listen` resolved (onApplicationBootstrap, routes, server bound). */
  listening: number;
}

const entry = performance.now();
const [kind, adapter] = process.argv.slice(2) as [ColdStartKind, 'express' | 'fastify'];

async function main(): Promise<void> {
  await import('reflect-metadata');
  const [{ NestFactory }, { ConsoleLogger }] = await Promise.all([import('@nestjs/core'), import('@nestjs/common')]);
  const module =
    kind === 'app'
      ? await Promise.all([import('../../src/app.module.js'), import('../../src/config/app-env.js')]).then(([{ AppModule }, { loadAppEnv }]) => AppModule.forRoot(loadAppEnv()))
      : (await import('./cold-start-bare.module.js')).ColdStartBareModule;
  const httpAdapter = adapter === 'fastify' ? new (await import('@nestjs/platform-fastify')).FastifyAdapter() : undefined;
  const imported = performance.now();
  // NOTE: the logger of the example app in production (src/main.ts): JSON lines, default levels.
  const logger = new ConsoleLogger({ json: true, flattenParams: true, compact: true, breakLength: Infinity });
  const app = httpAdapter ? await NestFactory.create(module, httpAdapter, { logger }) : await NestFactory.create(module, { logger });
  const created = performance.now();
  await app.listen(0, '127.0.0.1');
  const listening = performance.now();
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.on('message', (message: { cmd: string }) => {
    if (message.cmd === 'rss') process.send!({ rss: process.memoryUsage.rss() });
    if (message.cmd === 'exit') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ marks: { port, entry, imported, created, listening } satisfies ColdStartMarks });
}

main().catch((error: unknown) => {
  process.stderr.write(`cold-start entry (${kind}, ${adapter}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
