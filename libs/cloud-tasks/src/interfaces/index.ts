export * from './queue-config.interface.js';
export * from './job.interface.js';
export * from './enqueue.interface.js';
export * from './module-options.interface.js';
export * from './enqueue-rate-limit.interface.js';
export * from './schedule-config.interface.js';
