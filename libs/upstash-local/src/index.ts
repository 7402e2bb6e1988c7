export { startUpstashLocal } from './upstash-local.server.js';
export type { UpstashLocal, UpstashLocalOptions, UpstashLocalStats } from './upstash-local.types.js';
export { RedisUnavailableError, UpstashLocalConfigError, UpstashLocalHttpError } from './upstash-local.errors.js';
export { encodeReply, type EncodedReply } from './reply.encoder.js';
