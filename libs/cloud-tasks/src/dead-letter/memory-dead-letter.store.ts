import { Logger } from '@nestjs/common';
import { DeadLetterStoreFullError } from '../errors/dead-letter-store-full.error.js';
import type {
  DeadLetterListOptions,
  DeadLetterPage,
  DeadLetterRecord,
  DeadLetterStore,
} from './dead-letter-store.interface.js';

/** Bounds of a {@link MemoryDeadLetterStore}. */
export interface MemoryDeadLetterStoreOptions {
  /** Most records kept (default 10,000). */
  maxEntries?: number;
  /** Most bytes of records kept, counted as JSON (default 64 MiB). */
  maxBytes?: number;
}

/**
 * In-process dead-letter store (newest first). Lost on restart: use the Upstash store in production. Bounded: when
 * full it refuses new records (`DeadLetterStoreFullError`, logged as an error) rather than drop any silently; the job
 * endpoint then answers retryable, or keeps retrying the write in the background on a final attempt.
 */
export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly logger = new Logger('CloudTasks');
  private readonly records = new Map<string, { record: DeadLetterRecord; bytes: number }>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;

  constructor({ maxEntries = 10_000, maxBytes = 64 * 1024 * 1024 }: MemoryDeadLetterStoreOptions = {}) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  async save(record: DeadLetterRecord): Promise<void> {
    const bytes = JSON.stringify(record).length;
    const previous = this.records.get(record.id);
    const entries = this.records.size + (previous ? 0 : 1);
    if (entries > this.maxEntries || this.bytes - (previous?.bytes ?? 0) + bytes > this.maxBytes) {
      this.logger.error({ msg: 'memory dead-letter store full: a dead letter is refused (discard or retry some)', jobName: record.jobName, entries: this.records.size, bytes: this.bytes });
      throw new DeadLetterStoreFullError(this.maxEntries, this.maxBytes);
    }
    this.bytes += bytes - (previous?.bytes ?? 0);
    this.records.set(record.id, { record, bytes });
  }

  async list({ jobName, limit = 50, cursor }: DeadLetterListOptions): Promise<DeadLetterPage> {
    const all = [...this.records.values()]
      .map((r) => r.record)
      .filter((r) => !jobName || r.jobName === jobName)
      .sort((a, b) => b.failedAt.localeCompare(a.failedAt) || b.id.localeCompare(a.id));
    const start = cursor ? Number(cursor) : 0;
    const items = all.slice(start, start + limit);
    const next = start + items.length;
    return next < all.length ? { items, nextCursor: String(next) } : { items };
  }

  async get(id: string): Promise<DeadLetterRecord | null> {
    return this.records.get(id)?.record ?? null;
  }

  async update(record: DeadLetterRecord): Promise<void> {
    if (this.records.has(record.id)) await this.save(record);
  }

  async delete(id: string): Promise<boolean> {
    const entry = this.records.get(id);
    if (!entry) return false;
    this.bytes -= entry.bytes;
    return this.records.delete(id);
  }
}
