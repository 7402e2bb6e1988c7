/** A memory dead-letter store at its bounds refused a record (discard or retry some, or configure Upstash). */
export class DeadLetterStoreFullError extends Error {
  override readonly name = 'DeadLetterStoreFullError';
  constructor(maxEntries: number, maxBytes: number) {
    super(`The memory dead-letter store is full (${maxEntries} records or ${maxBytes} bytes): discard or retry dead letters, or configure a persistent store.`);
  }
}
