import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppEnv } from './config/app-env.js';

/**
 * Creates the Nest application on the adapter `HTTP_ADAPTER` names: Express (default, `@nestjs/platform-express`)
 * or Fastify (`@nestjs/platform-fastify`, loaded only then). The job endpoint behaves the same on both. Both trust
 * `TRUST_PROXY_HOPS` proxies for the client address (`request.ip`), in the framework's own way.
 */
export async function createHttpApp(module: DynamicModule, env: Pick<AppEnv, 'HTTP_ADAPTER' | 'TRUST_PROXY_HOPS'>, options: NestApplicationOptions = {}): Promise<INestApplication> {
  const hops = env.TRUST_PROXY_HOPS ?? 0;
  // NOTE: the same rule for both frameworks: the address `hop` steps from the socket is trusted while hop < hops.
  const trusted = (_address: string, hop: number) => hop < hops;
  if (env.HTTP_ADAPTER === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    return NestFactory.create(module, hops > 0 ? new FastifyAdapter({ trustProxy: trusted }) : new FastifyAdapter(), options);
  }
  const app = await NestFactory.create<NestExpressApplication>(module, options);
  if (hops > 0) app.set('trust proxy', trusted);
  return app;
}
