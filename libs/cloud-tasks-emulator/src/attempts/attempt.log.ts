import type { AttemptRecord, FireRecord, LoggedAttempt } from './attempt-record.interface.js';

/**
 * Every dispatch attempt, task attempts and scheduler job attempts alike, in the order attempts ended (`kind` tells
 * them apart). Oldest entries are dropped beyond `limit`.
 */
export class AttemptLog {
  private records: LoggedAttempt[] = [];

  constructor(private readonly limit = 100_000) {}

  get size(): number {
    return this.records.length;
  }

  add(record: LoggedAttempt): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records = this.records.slice(Math.floor(this.limit / 10));
  }

  /** All attempts, tasks' and jobs', oldest first (a copy). */
  all(): LoggedAttempt[] {
    return this.records.slice();
  }

  /** Attempts of one task, by full name or short id, oldest first. */
  forTask(nameOrId: string): AttemptRecord[] {
    const byId = !nameOrId.includes('/');
    return this.tasks().filter((r) => (byId ? r.taskId === nameOrId : r.taskName === nameOrId));
  }

  /** Attempts of one queue, by queue id. */
  forQueue(queueId: string): AttemptRecord[] {
    return this.tasks().filter((r) => r.queue === queueId);
  }

  /** Attempts of one scheduler job, by full name or short id, oldest first. */
  forJob(nameOrId: string): FireRecord[] {
    const byId = !nameOrId.includes('/');
    return this.fires().filter((r) => (byId ? r.jobId === nameOrId : r.jobName === nameOrId));
  }

  /** Task attempts only. */
  tasks(): AttemptRecord[] {
    return this.records.filter((r): r is AttemptRecord => r.kind === 'task');
  }

  /** Scheduler job attempts only. */
  fires(): FireRecord[] {
    return this.records.filter((r): r is FireRecord => r.kind === 'job');
  }

  clear(): void {
    this.records = [];
  }

  toJSON(): LoggedAttempt[] {
    return this.records;
  }
}
