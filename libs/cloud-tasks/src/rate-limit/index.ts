export { EnqueueLimiter, type EnqueueLimitDecision, type EnqueueLimitRule } from './enqueue-limiter.interface.js';
export { MemoryEnqueueLimiter, type MemoryEnqueueLimiterOptions } from './memory-enqueue.limiter.js';
export { UpstashEnqueueLimiter, type UpstashEnqueueLimiterOptions } from './upstash-enqueue.limiter.js';
