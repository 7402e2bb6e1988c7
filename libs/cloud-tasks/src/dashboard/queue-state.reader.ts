import type { CloudTasksClient } from '@google-cloud/tasks';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import type { CloudTasksClientHost } from '../queue/cloud-tasks-client.host.js';
import type { JobQueueService } from '../queue/job-queue.service.js';
import type { JobTransports } from '../transport/job-transports.js';
import type { TransportName } from '../transport/job-transport.js';
import type { Clock } from '../utils/clock.js';
import { QUEUE_READ_TIMEOUT_MS, TASKS_PAGE_SIZE } from './dashboard.constants.js';

/** What Cloud Tasks (or the emulator) says about a queue right now. */
export interface QueueLiveState {
  /** `RUNNING`, `PAUSED` or `DISABLED`. */
  state: string;
  /** Tasks in the queue (waiting, scheduled or being retried), counted over one `listTasks` page. */
  tasks: number;
  /** True when there are more than one page holds ({@link TASKS_PAGE_SIZE}). */
  more: boolean;
  /** Tasks already attempted at least once (being retried). */
  retrying: number;
  /** Creation time (ms) of the oldest task, when there is one. */
  oldestCreatedAt?: number;
  /** When the next task is due (ms). */
  nextScheduledAt?: number;
}

/** One job's queue, configured and live. */
export interface QueueRow {
  jobName: string;
  queueId: string;
  transport: TransportName;
  config: QueueConfig;
  live?: QueueLiveState;
  /** Why the live state is missing (the client could not read it, or the job runs on another transport). */
  unavailable?: string;
}

type Timestamp = { seconds?: number | string | { toString(): string } | null; nanos?: number | null } | null | undefined;

/**
 * Reads each configured queue's live state with the module's Cloud Tasks client (`getQueue` + one `listTasks` page of
 * BASIC views, in parallel, with a short deadline and no retries), against the emulator and Cloud Tasks alike. A
 * result is reused for `ttlMs`, and concurrent page views share one read, so reloads do not spend API quota.
 */
export class QueueStateReader {
  private cached?: { at: number; rows: Promise<QueueRow[]> };

  constructor(
    private readonly options: ResolvedCloudTasksOptions,
    private readonly clients: CloudTasksClientHost,
    private readonly queue: JobQueueService,
    private readonly transports: JobTransports,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  read(): Promise<QueueRow[]> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.rows;
    const rows = this.readAll();
    this.cached = { at: now, rows };
    return rows;
  }

  private async readAll(): Promise<QueueRow[]> {
    const jobs = Object.entries(this.options.queues).sort(([a], [b]) => a.localeCompare(b));
    let client: CloudTasksClient | undefined;
    let clientError: string | undefined;
    try {
      client = await this.clients.client();
    } catch (error) {
      clientError = short(error);
    }
    const byQueue = new Map<string, Promise<QueueLiveState>>();
    return Promise.all(
      jobs.map(async ([jobName, config]): Promise<QueueRow> => {
        const row: QueueRow = { jobName, queueId: config.name, transport: this.transports.routeOf(jobName), config };
        if (row.transport !== 'cloud-tasks') return { ...row, unavailable: `runs on the ${row.transport} transport` };
        if (!client) return { ...row, unavailable: clientError };
        let live = byQueue.get(config.name);
        if (!live) byQueue.set(config.name, (live = this.readQueue(client, this.queue.queuePath(config.name))));
        try {
          return { ...row, live: await live };
        } catch (error) {
          return { ...row, unavailable: short(error) };
        }
      }),
    );
  }

  private async readQueue(client: CloudTasksClient, name: string): Promise<QueueLiveState> {
    const call = { timeout: QUEUE_READ_TIMEOUT_MS, maxRetries: 0, autoPaginate: false } as const;
    const [[queue], [tasks, next]] = await Promise.all([
      client.getQueue({ name }, call),
      client.listTasks({ parent: name, pageSize: TASKS_PAGE_SIZE, responseView: 'BASIC' }, call),
    ]);
    const live: QueueLiveState = { state: String(queue.state ?? 'STATE_UNSPECIFIED'), tasks: tasks.length, more: Boolean(next?.pageToken), retrying: 0 };
    for (const task of tasks) {
      if ((task.dispatchCount ?? 0) > 0) live.retrying++;
      const created = millis(task.createTime);
      if (created !== undefined && (live.oldestCreatedAt === undefined || created < live.oldestCreatedAt)) live.oldestCreatedAt = created;
      const due = millis(task.scheduleTime);
      if (due !== undefined && (live.nextScheduledAt === undefined || due < live.nextScheduledAt)) live.nextScheduledAt = due;
    }
    return live;
  }
}

function millis(timestamp: Timestamp): number | undefined {
  if (!timestamp || timestamp.seconds === undefined || timestamp.seconds === null) return undefined;
  return Number(timestamp.seconds.toString()) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
}

/** An error, short and on one line, for the page (gRPC errors carry the status and details). */
function short(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
