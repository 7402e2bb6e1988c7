export * from './retryable.error.js';
export * from './permanent.error.js';
export * from './cloud-tasks-config.error.js';
export * from './enqueue.error.js';
export * from './bulk-enqueue.error.js';
export * from './token-rejection.error.js';
export * from './dead-letter-store-full.error.js';
export * from './dashboard-config.error.js';
