/** Invalid arguments given to the idempotency store (a lease or TTL that Redis would reject). */
export class IdempotencyStoreArgumentError extends Error {
  override readonly name = 'IdempotencyStoreArgumentError';
}
