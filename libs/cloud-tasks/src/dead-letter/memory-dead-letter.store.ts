import type {
  DeadLetterListOptions,
  DeadLetterPage,
  DeadLetterRecord,
  DeadLetterStore,
} from './dead-letter-store.interface.js';

/** In-process dead-letter store (newest first). Lost on restart: use the Upstash store in production. */
export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly records = new Map<string, DeadLetterRecord>();

  async save(record: DeadLetterRecord): Promise<void> {
    this.records.set(record.id, record);
  }

  async list({ jobName, limit = 50, cursor }: DeadLetterListOptions): Promise<DeadLetterPage> {
    const all = [...this.records.values()]
      .filter((r) => !jobName || r.jobName === jobName)
      .sort((a, b) => b.failedAt.localeCompare(a.failedAt) || b.id.localeCompare(a.id));
    const start = cursor ? Number(cursor) : 0;
    const items = all.slice(start, start + limit);
    const next = start + items.length;
    return next < all.length ? { items, nextCursor: String(next) } : { items };
  }

  async get(id: string): Promise<DeadLetterRecord | null> {
    return this.records.get(id) ?? null;
  }

  async update(record: DeadLetterRecord): Promise<void> {
    if (this.records.has(record.id)) this.records.set(record.id, record);
  }

  async delete(id: string): Promise<boolean> {
    return this.records.delete(id);
  }
}
