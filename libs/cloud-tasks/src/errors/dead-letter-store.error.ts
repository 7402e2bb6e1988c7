/** A bad argument (id, failedAt, limit, cursor) given to a dead-letter store, or a stored value that is not a dead-letter record. */
export class DeadLetterStoreError extends Error {
  override readonly name = 'DeadLetterStoreError';
}
