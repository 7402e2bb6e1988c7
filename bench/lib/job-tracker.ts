/** What a worker saw of one run: how many distinct jobs succeeded, how many ran twice, attempts, timings. */
export interface TrackerReport {
  runId: string;
  expected: number;
  /** Distinct jobs (by idempotency key / job id) whose processor succeeded. */
  completed: number;
  /** Successful processor runs, all keys together (= completed when nothing ran twice). */
  successfulRuns: number;
  /** Keys whose processor succeeded more than once. */
  ranTwice: number;
  /** Processor invocations, failed ones included. */
  attempts: number;
  injectedFailures: number;
  /** Highest `attempt` number seen. */
  maxAttempt: number;
  /** Jobs the queue acknowledged as finished (BullMQ `completed` events); 0 where not tracked. */
  acknowledged: number;
  /** Epoch ms (sub-ms) of the first and last success. */
  firstDoneAt?: number;
  lastDoneAt?: number;
}

/** How a run is tracked. */
export interface TrackOptions {
  expected: number;
  /** Every `failEvery`-th job (by seq) fails its first attempt with a transient error; 0 = none. */
  failEvery?: number;
  /** Report completion when `expected` distinct jobs succeeded (`done`) or were acknowledged by the queue. */
  completeOn?: 'done' | 'acknowledged';
}

interface Run extends Required<TrackOptions> {
  runs: Map<string, number>;
  successfulRuns: number;
  attempts: number;
  injectedFailures: number;
  maxAttempt: number;
  acknowledged: number;
  firstDoneAt?: number;
  lastDoneAt?: number;
  onComplete?: (report: TrackerReport) => void;
}

const now = () => performance.timeOrigin + performance.now();

/** Counts processor runs per key, per run id, in a bench worker (one Map update per job). */
export class JobTracker {
  private readonly runs = new Map<string, Run>();

  track(runId: string, options: TrackOptions, onComplete?: (report: TrackerReport) => void): void {
    this.runs.set(runId, {
      expected: options.expected,
      failEvery: options.failEvery ?? 0,
      completeOn: options.completeOn ?? 'done',
      runs: new Map(),
      successfulRuns: 0,
      attempts: 0,
      injectedFailures: 0,
      maxAttempt: 0,
      acknowledged: 0,
      onComplete,
    });
  }

  /** Records an attempt; resolves true when this attempt must fail (injected transient failure). */
  attempt(runId: string, seq: number, attempt: number): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    run.attempts++;
    if (attempt > run.maxAttempt) run.maxAttempt = attempt;
    if (attempt === 1 && run.failEvery > 0 && seq % run.failEvery === 0) {
      run.injectedFailures++;
      return true;
    }
    return false;
  }

  done(runId: string, key: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    const at = now();
    run.firstDoneAt ??= at;
    run.lastDoneAt = at;
    run.successfulRuns++;
    const previous = run.runs.get(key) ?? 0;
    run.runs.set(key, previous + 1);
    if (run.completeOn === 'done' && previous === 0 && run.runs.size === run.expected) this.complete(runId, run);
  }

  acknowledged(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.acknowledged++;
    if (run.completeOn === 'acknowledged' && run.acknowledged === run.expected) this.complete(runId, run);
  }

  report(runId: string): TrackerReport {
    const run = this.runs.get(runId);
    if (!run) return { runId, expected: 0, completed: 0, successfulRuns: 0, ranTwice: 0, attempts: 0, injectedFailures: 0, maxAttempt: 0, acknowledged: 0 };
    let ranTwice = 0;
    for (const count of run.runs.values()) if (count > 1) ranTwice++;
    return {
      runId,
      expected: run.expected,
      completed: run.runs.size,
      successfulRuns: run.successfulRuns,
      ranTwice,
      attempts: run.attempts,
      injectedFailures: run.injectedFailures,
      maxAttempt: run.maxAttempt,
      acknowledged: run.acknowledged,
      firstDoneAt: run.firstDoneAt,
      lastDoneAt: run.lastDoneAt,
    };
  }

  private complete(runId: string, run: Run): void {
    const callback = run.onComplete;
    run.onComplete = undefined;
    callback?.(this.report(runId));
  }
}
