import { Logger } from '@nestjs/common';
import { systemClock, type Clock } from '../utils/clock.js';
import type { ClaimResult, DoneRecord, IdempotencyRecord, IdempotencyStore, WriteResult } from './idempotency-store.interface.js';

/** A full store evicts down to this share of its bounds. */
const EVICTION_LOW_WATER = 0.9;

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
  bytes: number;
}

/** Bounds of a {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** Most records kept (default 100,000). */
  maxEntries?: number;
  /** Most bytes of records kept, counted as JSON (default 64 MiB). */
  maxBytes?: number;
}

/**
 * In-process idempotency store with the same semantics as the Upstash one (atomic claim with a lease, owner-checked
 * writes, TTLs). Bounded: beyond `maxEntries` or `maxBytes` the oldest done records are dropped first, down to 90 % of
 * the bounds (a duplicate of such a job would run again); claims in progress are never dropped. Per instance only: on Cloud Run with several
 * instances, duplicates delivered to different instances are not caught. For local runs and tests.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly logger = new Logger('CloudTasks');
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;
  private evicted = 0;
  private nextEvictionWarning = 1;

  constructor(
    private readonly clock: Clock = systemClock,
    { maxEntries = 100_000, maxBytes = 64 * 1024 * 1024 }: MemoryIdempotencyStoreOptions = {},
  ) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Records and bytes held, and done records dropped to stay within bounds. */
  get size(): { entries: number; bytes: number; evicted: number } {
    return { entries: this.entries.size, bytes: this.bytes, evicted: this.evicted };
  }

  async claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    const current = this.live(key);
    if (current && !(current.record.state === 'processing' && current.record.owner === owner)) return { claimed: false, record: current.record };
    this.put(key, { state: 'processing', owner, at: this.clock.now() }, leaseMs);
    return { claimed: true };
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const current = this.live(key);
    if (!current || current.record.state !== 'processing' || current.record.owner !== owner) return false;
    current.expiresAt = this.clock.now() + leaseMs;
    return true;
  }

  async complete(key: string, owner: string, record: DoneRecord, ttlSeconds: number): Promise<WriteResult> {
    const previous = this.live(key)?.record ?? null;
    if (previous && !(previous.state === 'processing' && previous.owner === owner)) return { written: false, previous };
    this.put(key, record, ttlSeconds * 1000);
    return { written: true, previous };
  }

  async release(key: string, owner: string): Promise<WriteResult> {
    const previous = this.live(key)?.record ?? null;
    if (!previous || previous.state !== 'processing' || previous.owner !== owner) return { written: false, previous };
    this.remove(key);
    return { written: true, previous };
  }

  async markDeadLettered(key: string, deadLetterId: string): Promise<IdempotencyRecord | null> {
    const current = this.live(key);
    if (!current) return null;
    if (current.record.state === 'processing') current.record = { ...current.record, deadLetterId };
    return current.record;
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    return this.live(key)?.record ?? null;
  }

  private put(key: string, record: IdempotencyRecord, ttlMs: number): void {
    this.remove(key);
    const bytes = key.length + JSON.stringify(record).length;
    this.entries.set(key, { record, expiresAt: this.clock.now() + ttlMs, bytes });
    this.bytes += bytes;
    if (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) this.evict();
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /**
   * Drops the oldest expired or done records (Map order = write order) until a tenth below the bounds, so a full store
   * pays one walk per tenth of its size instead of one per write; claims stay.
   */
  private evict(): void {
    const now = this.clock.now();
    const entriesTarget = Math.floor(this.maxEntries * EVICTION_LOW_WATER);
    const bytesTarget = Math.floor(this.maxBytes * EVICTION_LOW_WATER);
    const before = this.evicted;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= entriesTarget && this.bytes <= bytesTarget) break;
      if (entry.expiresAt <= now) {
        this.remove(key);
        continue;
      }
      if (entry.record.state !== 'done') continue;
      this.remove(key);
      this.evicted++;
    }
    // NOTE: warned at the first drop, then each time the count of drops grows tenfold: loud once, never a flood.
    if (this.evicted > before && this.evicted >= this.nextEvictionWarning) {
      this.nextEvictionWarning = this.evicted * 10;
      this.logger.warn({ msg: 'memory idempotency store full: dropping the oldest done records (their duplicates would run again)', maxEntries: this.maxEntries, maxBytes: this.maxBytes, evicted: this.evicted });
    }
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }
}
