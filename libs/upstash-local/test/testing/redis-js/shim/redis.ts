import { errors, s } from '@upstash/redis';
import { BaseRedis, Pipeline } from './internals.js';

/** The client's base `Redis(client, options)` and `Pipeline({ client, commandOptions, multiExec })`, as the tests use them. */
export const Redis = BaseRedis;
export { Pipeline, s };
export const { UpstashError, UrlError } = errors as unknown as Record<string, new (message: string) => Error>;
