import type { ClaimResult, DoneRecord, IdempotencyRecord, IdempotencyStore, WriteResult } from '../idempotency/idempotency-store.interface.js';

/** Records one store call: its operation, its duration in seconds, and whether it failed. */
export type StoreTimer = (operation: keyof IdempotencyStore, seconds: number, failed: boolean) => void;

/** An {@link IdempotencyStore} that times every call of the store it wraps (the module's store metrics). */
export class InstrumentedIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly timer: StoreTimer,
  ) {}

  claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    return this.timed('claim', () => this.store.claim(key, owner, leaseMs));
  }

  renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.timed('renew', () => this.store.renew(key, owner, leaseMs));
  }

  complete(key: string, owner: string, record: DoneRecord, ttlSeconds: number): Promise<WriteResult> {
    return this.timed('complete', () => this.store.complete(key, owner, record, ttlSeconds));
  }

  release(key: string, owner: string): Promise<WriteResult> {
    return this.timed('release', () => this.store.release(key, owner));
  }

  markDeadLettered(key: string, deadLetterId: string): Promise<IdempotencyRecord | null> {
    return this.timed('markDeadLettered', () => this.store.markDeadLettered(key, deadLetterId));
  }

  get(key: string): Promise<IdempotencyRecord | null> {
    return this.timed('get', () => this.store.get(key));
  }

  private async timed<T>(operation: keyof IdempotencyStore, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let failed = true;
    try {
      const result = await call();
      failed = false;
      return result;
    } finally {
      this.timer(operation, (performance.now() - started) / 1000, failed);
    }
  }
}
