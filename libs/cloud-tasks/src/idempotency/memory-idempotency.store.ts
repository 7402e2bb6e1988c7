import { systemClock, type Clock } from '../utils/clock.js';
import type { ClaimResult, DoneRecord, IdempotencyRecord, IdempotencyStore } from './idempotency-store.interface.js';

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
}

/**
 * In-process idempotency store with the same semantics as the Upstash one (atomic claim with a lease,
 * compare-and-release, TTL). Per instance only: on Cloud Run with several instances, duplicates delivered to
 * different instances are not caught. Use it for local runs and tests.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock = systemClock) {}

  async claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    const current = this.live(key);
    if (current) return { claimed: false, record: current.record };
    const now = this.clock.now();
    this.entries.set(key, { record: { state: 'processing', owner, at: now }, expiresAt: now + leaseMs });
    return { claimed: true };
  }

  async complete(key: string, record: DoneRecord, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { record, expiresAt: this.clock.now() + ttlSeconds * 1000 });
  }

  async release(key: string, owner: string): Promise<boolean> {
    const current = this.live(key);
    if (!current || current.record.state !== 'processing' || current.record.owner !== owner) return false;
    this.entries.delete(key);
    return true;
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    return this.live(key)?.record ?? null;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
