import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { createRequire } from 'node:module';

/** The HTTP adapters the job endpoint supports. */
export type HttpAdapterName = 'express' | 'fastify';

/** Both adapters, for `describe.each(HTTP_ADAPTERS)`. */
export const HTTP_ADAPTERS: readonly HttpAdapterName[] = ['express', 'fastify'];

/** The app's adapter when a test does not say: Express, unless only `@nestjs/platform-fastify` is installed. */
export function defaultHttpAdapter(): HttpAdapterName {
  const require = createRequire(import.meta.url);
  const installed = (name: string) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  return !installed('@nestjs/platform-express') && installed('@nestjs/platform-fastify') ? 'fastify' : 'express';
}

/**
 * Creates the Nest application of a compiled testing module on the given adapter (`@nestjs/platform-fastify` is
 * loaded only when asked for).
 */
export async function createHttpApp(moduleRef: TestingModule, adapter: HttpAdapterName, options: NestApplicationOptions = {}): Promise<INestApplication> {
  if (adapter === 'express') return moduleRef.createNestApplication(options);
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return moduleRef.createNestApplication(new FastifyAdapter(), options);
}

/** `app.init()`, and on Fastify waits until the instance is ready to take requests through `getHttpServer()`. */
export async function initHttpApp(app: INestApplication): Promise<void> {
  await app.init();
  if (app.getHttpAdapter().getType() === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
}
