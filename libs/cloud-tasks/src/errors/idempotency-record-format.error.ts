/** A record in the idempotency store that is not an idempotency record (another writer, or a corrupted value). */
export class IdempotencyRecordFormatError extends Error {
  override readonly name = 'IdempotencyRecordFormatError';
}
