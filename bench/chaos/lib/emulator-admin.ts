import type { CloudTasksClient } from '@google-cloud/tasks';
import { createEmulatorClient } from '@nest-cloud-tasks/emulator';

/** One entry of the emulator's attempt log (`GET /attempts`), the fields the suite reads. */
export interface AttemptEntry {
  taskName: string;
  attempt: number;
  status: number | string;
}

/** Reads the emulator's state: tasks still held (ListTasks) and the attempt log. */
export class EmulatorAdmin {
  private readonly client: CloudTasksClient;

  constructor(
    grpcAddress: string,
    private readonly httpUrl: () => string,
    private readonly queuePaths: string[],
  ) {
    this.client = createEmulatorClient(grpcAddress);
  }

  /** Whether any queue still holds a task (scheduled, waiting, running). */
  async holdsTasks(): Promise<boolean> {
    for (const parent of this.queuePaths) {
      const [tasks] = await this.client.listTasks({ parent, pageSize: 1 }, { autoPaginate: false, timeout: 5_000 });
      if (tasks.length > 0) return true;
    }
    return false;
  }

  async attempts(): Promise<AttemptEntry[]> {
    const res = await fetch(`${this.httpUrl()}/attempts`, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`GET /attempts answered ${res.status}`);
    return (await res.json()) as AttemptEntry[];
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Attempts by status, and how the tasks that were given up on ended (their last attempt's status). */
export function attemptSummary(attempts: readonly AttemptEntry[]): { byStatus: Map<string, number>; givenUpOn: Map<string, number> } {
  const byStatus = new Map<string, number>();
  const last = new Map<string, AttemptEntry>();
  for (const entry of attempts) {
    const status = String(entry.status);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const previous = last.get(entry.taskName);
    if (!previous || entry.attempt >= previous.attempt) last.set(entry.taskName, entry);
  }
  const givenUpOn = new Map<string, number>();
  for (const entry of last.values()) {
    const status = String(entry.status);
    if (typeof entry.status === 'number' && entry.status >= 200 && entry.status < 300) continue;
    givenUpOn.set(status, (givenUpOn.get(status) ?? 0) + 1);
  }
  return { byStatus, givenUpOn };
}
