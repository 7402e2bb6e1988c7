import type { AttemptRecord } from './attempt-record.interface.js';

/** Every dispatch attempt, in the order attempts ended. Oldest entries are dropped beyond `limit`. */
export class AttemptLog {
  private records: AttemptRecord[] = [];

  constructor(private readonly limit = 100_000) {}

  get size(): number {
    return this.records.length;
  }

  add(record: AttemptRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records = this.records.slice(Math.floor(this.limit / 10));
  }

  /** All attempts, oldest first (a copy). */
  all(): AttemptRecord[] {
    return this.records.slice();
  }

  /** Attempts of one task, by full name or short id, oldest first. */
  forTask(nameOrId: string): AttemptRecord[] {
    const byId = !nameOrId.includes('/');
    return this.records.filter((r) => (byId ? r.taskId === nameOrId : r.taskName === nameOrId));
  }

  /** Attempts of one queue, by queue id. */
  forQueue(queueId: string): AttemptRecord[] {
    return this.records.filter((r) => r.queue === queueId);
  }

  clear(): void {
    this.records = [];
  }

  toJSON(): AttemptRecord[] {
    return this.records;
  }
}
