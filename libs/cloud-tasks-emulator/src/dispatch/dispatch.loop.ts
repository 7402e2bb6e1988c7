import type { AttemptRecord } from '../attempts/attempt-record.interface.js';
import type { QueueRecord } from '../core/queue.record.js';
import { appEngineUrl, effectiveRouting, type AppEngineUrls } from '../core/app-engine.target.js';
import { backoffMs, mayRetry } from '../core/retry.policy.js';
import type { TaskRecord } from '../core/task.record.js';
import type { DueScheduler } from '../time/due.scheduler.js';
import type { VirtualClock } from '../time/virtual.clock.js';
import { isSuccess, isThrottle, retryAfterMs, retryReason } from './attempt-outcome.js';
import { dispatchHeaders } from './dispatch-headers.js';
import type { DispatchResult, Dispatcher } from './dispatcher.interface.js';

export type FinishOutcome = 'succeeded' | 'exhausted';

/** Mints the OIDC token an attempt carries. */
export interface IdTokenSource {
  idToken(serviceAccountEmail: string, audience: string): string;
}

export interface DispatchLoopDeps {
  clock: VirtualClock;
  scheduler: DueScheduler;
  dispatcher: Dispatcher;
  tokens: IdTokenSource;
  /** Local base URL(s) of App Engine services. */
  appEngineUrls?: AppEngineUrls;
  /** Called after every attempt with its log entry. */
  onAttempt(record: AttemptRecord): void;
  /** Called when a task succeeded or ran out of retries; the owner removes it. */
  onFinished(task: TaskRecord, outcome: FinishOutcome): void;
  /** Called when an in-flight request ended (the owner may now be idle). */
  onSettled(): void;
  /** Called when a failed task was given its next schedule time. */
  onRescheduled?(task: TaskRecord): void;
}

interface AttemptContext {
  attempt: number;
  retryCount: number;
  executionCount: number;
  dispatchTime: number;
  realTime: number;
}

/**
 * Moves tasks from "scheduled" to "ready" when their time comes (one shared timer), and from "ready" to "running"
 * within each queue's rate limit, concurrency limit and state; then retries or finishes them from the outcome.
 */
export class DispatchLoop {
  /** HTTP requests in flight, including those of tasks deleted meanwhile. */
  inFlight = 0;
  private readonly dirty = new Set<QueueRecord>();
  private flushPending: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly deps: DispatchLoopDeps) {}

  /** (Re)schedules a task at its `scheduleTime`. */
  schedule(task: TaskRecord): void {
    task.phase = 'scheduled';
    if (task.scheduleTime <= this.deps.clock.now()) {
      this.makeReady(task);
      return;
    }
    const gen = task.gen;
    this.deps.scheduler.at(task.scheduleTime, () => {
      if (task.gen === gen && task.phase === 'scheduled') this.makeReady(task);
    });
  }

  /** Dispatches now, ignoring schedule, state and rate limits (RunTask). */
  runNow(task: TaskRecord): void {
    if (this.closed) return;
    task.gen++;
    this.dispatch(task, this.deps.clock.now());
  }

  /** Re-examines a queue soon (after resume, update, or a freed slot). */
  poke(queue: QueueRecord): void {
    if (this.closed) return;
    this.dirty.add(queue);
    this.flushPending ??= setImmediate(this.flush);
  }

  close(): void {
    this.closed = true;
    if (this.flushPending) clearImmediate(this.flushPending);
    this.flushPending = undefined;
    this.dirty.clear();
  }

  private makeReady(task: TaskRecord): void {
    task.phase = 'ready';
    const q = task.queue;
    q.readyTasks.push(task);
    q.readyGens.push(task.gen);
    this.poke(q);
  }

  private readonly flush = (): void => {
    this.flushPending = undefined;
    const queues = [...this.dirty];
    this.dirty.clear();
    for (const q of queues) this.pump(q);
  };

  private pump(q: QueueRecord): void {
    if (q.deleted || q.state !== 'RUNNING') return;
    const now = this.deps.clock.now();
    const maxConcurrent = q.settings.rate.maxConcurrentDispatches;
    while (q.readyHead < q.readyTasks.length) {
      const task = q.readyTasks[q.readyHead]!;
      if (task.gen !== q.readyGens[q.readyHead] || task.phase !== 'ready') {
        q.readyTasks[q.readyHead++] = undefined;
        continue;
      }
      if (q.inFlight >= maxConcurrent) break;
      if (now < q.throttledUntil) {
        this.wake(q, q.throttledUntil);
        break;
      }
      const wait = q.limiter.waitMs(now);
      if (wait > 0) {
        this.wake(q, now + wait);
        break;
      }
      q.readyTasks[q.readyHead++] = undefined;
      q.limiter.take(now);
      this.dispatch(task, now);
    }
    compact(q);
  }

  private wake(q: QueueRecord, at: number): void {
    if (q.wakeAt <= at) return;
    q.wakeAt = at;
    this.deps.scheduler.at(at, () => {
      if (q.wakeAt === at) q.wakeAt = Infinity;
      this.pump(q);
    });
  }

  private dispatch(task: TaskRecord, now: number): void {
    const q = task.queue;
    task.phase = 'running';
    task.running++;
    q.inFlight++;
    this.inFlight++;
    task.dispatchCount++;
    task.firstAttemptTime ??= now;
    task.lastAttempt = { scheduleTime: task.scheduleTime, dispatchTime: now };
    const ctx: AttemptContext = {
      attempt: task.dispatchCount,
      retryCount: task.retryCount,
      executionCount: task.executionCount,
      dispatchTime: now,
      realTime: this.deps.clock.real(),
    };
    const token = task.oidc ? this.deps.tokens.idToken(task.oidc.serviceAccountEmail, task.oidc.audience) : undefined;
    if (task.appEngine) task.url = this.appEngineUrlOf(task);
    let settled = false;
    const handle = this.deps.dispatcher.send(
      { url: task.url, method: task.method, headers: dispatchHeaders(task, token), body: task.body },
      (result) => {
        settled = true;
        this.complete(task, ctx, result);
      },
    );
    this.deps.scheduler.at(now + task.dispatchDeadlineMs, () => {
      if (!settled) handle.abort();
    });
  }

  /** NOTE: the queue's routing override applies at dispatch, so an UpdateQueue after CreateTask redirects the task. */
  private appEngineUrlOf(task: TaskRecord): string {
    try {
      return appEngineUrl(this.deps.appEngineUrls, effectiveRouting(task.queue, task.appEngine!.routing), task.appEngine!.relativeUri);
    } catch {
      return task.url;
    }
  }

  private complete(task: TaskRecord, ctx: AttemptContext, result: DispatchResult): void {
    const q = task.queue;
    q.inFlight--;
    this.inFlight--;
    task.running--;
    if (this.closed) return;
    const now = this.deps.clock.now();
    const { status } = result;
    if (typeof status === 'number') {
      task.responseCount++;
      if (status < 500) task.executionCount++;
    }
    if (task.lastAttempt?.dispatchTime === ctx.dispatchTime) {
      task.lastAttempt.responseTime = now;
      task.lastAttempt.status = status;
    }
    this.deps.onAttempt({
      kind: 'task',
      taskName: task.name,
      taskId: task.id,
      queue: q.id,
      url: task.url,
      attempt: ctx.attempt,
      retryCount: ctx.retryCount,
      executionCount: ctx.executionCount,
      virtualTime: ctx.dispatchTime,
      realTime: ctx.realTime,
      status,
      durationMs: result.durationMs,
    });
    if (task.phase !== 'finished') {
      if (isSuccess(status)) this.deps.onFinished(task, 'succeeded');
      else this.failed(task, result, now);
    }
    this.pump(q);
    this.deps.onSettled();
  }

  private failed(task: TaskRecord, result: DispatchResult, now: number): void {
    const { status } = result;
    const q = task.queue;
    const retry = q.settings.retry;
    task.retryCount++;
    task.previousResponse = typeof status === 'number' ? status : undefined;
    task.retryReason = retryReason(status, result.error);
    if (!mayRetry(retry, task.dispatchCount, now - (task.firstAttemptTime ?? now))) {
      this.deps.onFinished(task, 'exhausted');
      return;
    }
    // NOTE: another attempt started by RunTask is still out; its outcome decides what happens next.
    if (task.running > 0) return;
    let delay = backoffMs(retry, task.retryCount - 1);
    if (isThrottle(status)) {
      const retryAfter = retryAfterMs(result.retryAfter, this.deps.clock.real());
      if (retryAfter !== undefined) delay = Math.max(delay, retryAfter);
      q.throttledUntil = Math.max(q.throttledUntil, now + (retryAfter ?? retry.minBackoffMs));
    }
    task.scheduleTime = now + delay;
    task.gen++;
    this.schedule(task);
    this.deps.onRescheduled?.(task);
  }
}

function compact(q: QueueRecord): void {
  if (q.readyHead === 0) return;
  if (q.readyHead === q.readyTasks.length) {
    q.readyTasks = [];
    q.readyGens = [];
    q.readyHead = 0;
  } else if (q.readyHead > 1024 && q.readyHead * 2 > q.readyTasks.length) {
    q.readyTasks = q.readyTasks.slice(q.readyHead);
    q.readyGens = q.readyGens.slice(q.readyHead);
    q.readyHead = 0;
  }
}
