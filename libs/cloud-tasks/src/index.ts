export * from './interfaces/index.js';
export * from './errors/index.js';
export * from './handlers/index.js';
export { IdempotencyStore } from './idempotency/idempotency-store.interface.js';
export type { ClaimResult, DoneRecord, IdempotencyRecord, ProcessingRecord } from './idempotency/idempotency-store.interface.js';
export { MemoryIdempotencyStore } from './idempotency/memory-idempotency.store.js';
export { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
export type { DeadLetterListOptions, DeadLetterPage, DeadLetterRecord } from './dead-letter/dead-letter-store.interface.js';
export { MemoryDeadLetterStore } from './dead-letter/memory-dead-letter.store.js';
