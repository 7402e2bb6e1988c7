import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppEnv } from './config/app-env.js';

/**
 * Creates the Nest application on the adapter `HTTP_ADAPTER` names: Express (default, `@nestjs/platform-express`)
 * or Fastify (`@nestjs/platform-fastify`, loaded only then). The job endpoint behaves the same on both.
 */
export async function createHttpApp(module: DynamicModule, env: Pick<AppEnv, 'HTTP_ADAPTER'>, options: NestApplicationOptions = {}): Promise<INestApplication> {
  if (env.HTTP_ADAPTER === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    return NestFactory.create(module, new FastifyAdapter(), options);
  }
  return NestFactory.create(module, options);
}
