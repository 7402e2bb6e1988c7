import type { AttemptRecord } from '../attempts/attempt-record.interface.js';
import type { Dispatcher } from '../dispatch/dispatcher.interface.js';
import { DispatchLoop, type FinishOutcome, type IdTokenSource } from '../dispatch/dispatch.loop.js';
import type { QueuePb, TaskPb } from '../grpc/proto.types.js';
import { DueScheduler } from '../time/due.scheduler.js';
import type { VirtualClock } from '../time/virtual.clock.js';
import type { QueueRecord } from './queue.record.js';
import type { QueueSettings } from './queue-settings.interface.js';
import { resolveQueueSettings } from './queue-settings.js';
import { RateLimiter } from './rate.limiter.js';
import { parseLocationName, parseQueueName, parseTaskName } from './resource-names.js';
import { Messages, alreadyExists, failedPrecondition, invalidArgument, notFound } from './rpc.error.js';
import { buildTask } from './task.factory.js';
import type { TaskRecord } from './task.record.js';
import { TombstoneRegistry } from './tombstone.registry.js';
import { IamPolicies } from './iam.policies.js';
import type { AppEngineUrls } from './app-engine.target.js';
import { QUEUE_NAME_REUSE_DELAY_MS } from '../emulator.constants.js';
import { persistedToPolicy, persistedToTask, policyToPersisted, queueToPersisted, taskToPersisted } from '../persistence/state.codec.js';
import type { PersistedTask, StateSink, TaskEngineState } from '../persistence/state.types.js';

export type TaskOutcome = FinishOutcome | 'deleted';

export interface TaskEngineOptions {
  clock: VirtualClock;
  dispatcher: Dispatcher;
  tokens: IdTokenSource;
  maxTaskBytes: number;
  /** How long (virtual ms) a finished task's id stays unusable. */
  tombstoneTtlMs: number;
  /** How long (virtual ms) a deleted queue's id stays unusable (the service: 7 days; 0 = not at all). */
  queueTombstoneTtlMs: number;
  /** Local base URL(s) of App Engine services. */
  appEngineUrls?: AppEngineUrls;
  /** PurgeQueue also frees the ids of the purged tasks (a test convenience; the service keeps refusing them). */
  purgeFreesTaskNames?: boolean;
  newTaskId?: () => string;
  onAttempt(record: AttemptRecord): void;
  onFinished(task: TaskRecord, outcome: TaskOutcome): void;
  /** Called whenever no task is left and no request is in flight. */
  onIdle(): void;
  /** Hears every change that must survive a restart (the data directory's journal). */
  state?: StateSink;
}

/** The emulator's state: queues, tasks and recently used names, with the operations of the CloudTasks service. */
export class TaskEngine {
  private readonly queues = new Map<string, QueueRecord>();
  private readonly taskTombstones: TombstoneRegistry;
  private readonly queueTombstones: TombstoneRegistry;
  /** Deleted queues, remembered for the service's wording of CreateTask errors whether or not re-creation is refused. */
  private readonly deletedQueues = new TombstoneRegistry(QUEUE_NAME_REUSE_DELAY_MS);
  /** IAM policies set on queues (SetIamPolicy); a queue without one has the empty policy. */
  readonly iam: IamPolicies;
  private readonly scheduler: DueScheduler;
  private readonly loop: DispatchLoop;
  private live = 0;
  /** Set while a bulk deletion (DeleteQueue, PurgeQueue, reset) runs: its tasks are journaled by one line, not each. */
  private bulk = false;

  constructor(private readonly opts: TaskEngineOptions) {
    this.iam = new IamPolicies(opts.state && ((resource, policy) => opts.state!.policyChanged(resource, policyToPersisted(policy))));
    this.taskTombstones = new TombstoneRegistry(opts.tombstoneTtlMs);
    this.queueTombstones = new TombstoneRegistry(opts.queueTombstoneTtlMs);
    this.scheduler = new DueScheduler(opts.clock);
    this.loop = new DispatchLoop({
      clock: opts.clock,
      scheduler: this.scheduler,
      dispatcher: opts.dispatcher,
      tokens: opts.tokens,
      appEngineUrls: opts.appEngineUrls,
      onAttempt: opts.onAttempt,
      onFinished: (task, outcome) => this.finish(task, outcome),
      onSettled: () => this.checkIdle(),
      onRescheduled: opts.state && ((task) => opts.state!.taskChanged(task)),
    });
  }

  /** Tasks held in any queue (scheduled, waiting or running). */
  get liveTasks(): number {
    return this.live;
  }

  /** HTTP requests in flight. */
  get inFlight(): number {
    return this.loop.inFlight;
  }

  get isIdle(): boolean {
    return this.live === 0 && this.loop.inFlight === 0;
  }

  // ---- queues -------------------------------------------------------------------------------------------------

  listQueues(parent: string): QueueRecord[] {
    parseLocationName(parent);
    const prefix = `${parent}/queues/`;
    return [...this.queues.values()].filter((q) => q.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  getQueue(name: string, notFoundMessage: string = Messages.queueNotFound): QueueRecord {
    parseQueueName(name);
    const queue = this.queues.get(name);
    if (!queue) throw notFound(notFoundMessage);
    return queue;
  }

  createQueue(parent: string, pb: QueuePb | null | undefined): QueueRecord {
    parseLocationName(parent);
    if (!pb) throw invalidArgument('Queue is required.');
    const { name, parent: queueParent } = parseQueueName(pb.name ?? undefined);
    if (queueParent !== parent) {
      throw invalidArgument(`The queue name ('${name}') must be in the location of the request ('${parent}').`);
    }
    if (this.queues.has(name)) throw alreadyExists(Messages.queueAlreadyExists);
    if (this.queueTombstones.has(name, this.opts.clock.now())) throw failedPrecondition(Messages.queueRecentlyDeleted);
    return this.changed(this.addQueue(name, resolveQueueSettings(pb, undefined)));
  }

  /** UpdateQueue: creates the queue when missing, else changes the masked (or all mutable) fields. */
  updateQueue(pb: QueuePb | null | undefined, maskPaths?: readonly string[]): QueueRecord {
    if (!pb) throw invalidArgument('Queue is required.');
    const { name } = parseQueueName(pb.name ?? undefined);
    const existing = this.queues.get(name);
    if (!existing) {
      if (this.queueTombstones.has(name, this.opts.clock.now())) throw failedPrecondition(Messages.queueRecentlyDeleted);
      return this.changed(this.addQueue(name, resolveQueueSettings(pb, undefined, maskPaths)));
    }
    this.applySettings(existing, resolveQueueSettings(pb, existing.settings, maskPaths));
    return this.changed(existing);
  }

  deleteQueue(name: string): void {
    const queue = this.getQueue(name, 'Requested entity was not found.');
    queue.deleted = true;
    this.queues.delete(name);
    this.queueTombstones.add(name, this.opts.clock.now());
    this.deletedQueues.add(name, this.opts.clock.now());
    this.iam.delete(name);
    this.opts.state?.queueDeleted(name);
    this.inBulk(() => {
      for (const task of [...queue.tasks.values()]) this.finish(task, 'deleted');
    });
  }

  purgeQueue(name: string): QueueRecord {
    const queue = this.getQueue(name);
    queue.purgeTime = this.opts.clock.now();
    this.opts.state?.queuePurged(name, this.opts.purgeFreesTaskNames === true);
    this.inBulk(() => {
      for (const task of [...queue.tasks.values()]) this.finish(task, 'deleted');
    });
    if (this.opts.purgeFreesTaskNames) this.taskTombstones.deletePrefix(`${name}/tasks/`);
    queue.readyTasks = [];
    queue.readyGens = [];
    queue.readyHead = 0;
    return this.changed(queue);
  }

  pauseQueue(name: string): QueueRecord {
    const queue = this.getQueue(name);
    queue.state = 'PAUSED';
    return this.changed(queue);
  }

  resumeQueue(name: string): QueueRecord {
    const queue = this.getQueue(name);
    queue.state = 'RUNNING';
    this.loop.poke(queue);
    return this.changed(queue);
  }

  // ---- tasks --------------------------------------------------------------------------------------------------

  listTasks(parent: string): TaskRecord[] {
    const queue = this.getQueue(parent);
    return [...queue.tasks.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  getTask(name: string): TaskRecord {
    const task = this.lookupTask(name);
    if (task) return task;
    throw notFound(this.taskTombstones.has(name, this.opts.clock.now()) ? Messages.taskRecentlyDeleted : undefined);
  }

  /** CreateTask: a missing queue is FAILED_PRECONDITION here, as the service answers (GetQueue says NOT_FOUND). */
  createTask(parent: string, pb: TaskPb | null | undefined): TaskRecord {
    const queue = this.queues.get(parent) ?? this.missingQueueForTask(parent);
    const task = buildTask(queue, pb, this.opts);
    if (queue.tasks.has(task.name) || this.taskTombstones.has(task.name, task.createTime)) throw alreadyExists();
    queue.tasks.set(task.name, task);
    this.live++;
    this.loop.schedule(task);
    this.opts.state?.taskChanged(task);
    return task;
  }

  deleteTask(name: string): void {
    const task = this.lookupTask(name);
    if (!task) throw notFound();
    this.finish(task, 'deleted');
  }

  runTask(name: string): TaskRecord {
    const task = this.lookupTask(name);
    if (!task) throw notFound();
    this.loop.runNow(task);
    return task;
  }

  /**
   * Back to a clean slate without a restart: every task deleted (its waiters told), every remembered task and queue
   * name forgotten, IAM policies dropped, and the queues too unless `keepQueues`.
   */
  reset({ keepQueues = false }: { keepQueues?: boolean } = {}): void {
    this.inBulk(() => this.resetAll(keepQueues));
  }

  /** The state to keep across a restart. */
  exportState(): TaskEngineState {
    const tasks = new Map<string, PersistedTask>();
    for (const queue of this.queues.values()) for (const task of queue.tasks.values()) tasks.set(task.name, taskToPersisted(task));
    return {
      queues: new Map([...this.queues.values()].map((q) => [q.name, queueToPersisted(q)])),
      tasks,
      taskTombstones: new Map(this.taskTombstones.added()),
      deletedQueues: new Map(this.deletedQueues.added()),
      iam: new Map(this.iam.entries().map(([resource, policy]) => [resource, policyToPersisted(policy)])),
    };
  }

  /** Puts back the state of a previous run: queues, tasks (scheduled again at their times), names still refused, policies. */
  restore(state: TaskEngineState): void {
    for (const q of state.queues.values()) {
      const queue = this.addQueue(q.name, q.settings);
      queue.state = q.state;
      queue.purgeTime = q.purgeTime;
    }
    for (const [name, t] of [...state.deletedQueues].sort((a, b) => a[1] - b[1])) {
      this.deletedQueues.add(name, t);
      this.queueTombstones.add(name, t);
    }
    for (const [name, t] of [...state.taskTombstones].sort((a, b) => a[1] - b[1])) this.taskTombstones.add(name, t);
    for (const [resource, policy] of state.iam) this.iam.restore(resource, persistedToPolicy(policy));
    for (const p of state.tasks.values()) {
      const queue = this.queues.get(p.queue);
      if (!queue) continue;
      const task = persistedToTask(p, queue);
      queue.tasks.set(task.name, task);
      this.live++;
      this.loop.schedule(task);
    }
  }

  private resetAll(keepQueues: boolean): void {
    for (const queue of [...this.queues.values()]) {
      for (const task of [...queue.tasks.values()]) this.finish(task, 'deleted');
      queue.readyTasks = [];
      queue.readyGens = [];
      queue.readyHead = 0;
      if (!keepQueues) {
        queue.deleted = true;
        this.queues.delete(queue.name);
      }
    }
    this.taskTombstones.clear();
    this.queueTombstones.clear();
    this.deletedQueues.clear();
    this.iam.clear();
  }

  /** Whether a task of this full name is currently held (scheduled, waiting or running). */
  holds(name: string): boolean {
    try {
      return this.lookupTask(name) !== undefined;
    } catch {
      return false;
    }
  }

  close(): void {
    this.scheduler.close();
    this.loop.close();
  }

  private lookupTask(name: string): TaskRecord | undefined {
    const { queueName } = parseTaskName(name);
    return this.getQueue(queueName).tasks.get(name);
  }

  private missingQueueForTask(name: string): never {
    parseQueueName(name);
    const recent = this.deletedQueues.has(name, this.opts.clock.now());
    throw failedPrecondition(recent ? Messages.queueNoLongerExists : Messages.queueNotFound);
  }

  private addQueue(name: string, settings: QueueSettings): QueueRecord {
    const { parent, queueId } = parseQueueName(name);
    this.deletedQueues.delete(name);
    const queue: QueueRecord = {
      name,
      id: queueId,
      parent,
      settings,
      state: 'RUNNING',
      tasks: new Map(),
      deleted: false,
      readyTasks: [],
      readyGens: [],
      readyHead: 0,
      inFlight: 0,
      limiter: new RateLimiter(settings.rate.maxDispatchesPerSecond, settings.rate.maxBurstSize),
      wakeAt: Infinity,
      throttledUntil: -Infinity,
    };
    this.queues.set(name, queue);
    return queue;
  }

  private applySettings(queue: QueueRecord, settings: QueueSettings): void {
    const before = queue.settings.rate;
    queue.settings = settings;
    if (before.maxDispatchesPerSecond !== settings.rate.maxDispatchesPerSecond || before.maxBurstSize !== settings.rate.maxBurstSize) {
      queue.limiter = new RateLimiter(settings.rate.maxDispatchesPerSecond, settings.rate.maxBurstSize);
      queue.wakeAt = Infinity;
    }
    this.loop.poke(queue);
  }

  private changed(queue: QueueRecord): QueueRecord {
    this.opts.state?.queueChanged(queueToPersisted(queue));
    return queue;
  }

  private inBulk(run: () => void): void {
    this.bulk = true;
    try {
      run();
    } finally {
      this.bulk = false;
    }
  }

  private finish(task: TaskRecord, outcome: TaskOutcome): void {
    if (task.phase === 'finished') return;
    task.phase = 'finished';
    task.gen++;
    if (task.queue.tasks.delete(task.name)) this.live--;
    if (!this.bulk) this.opts.state?.taskDeleted(task.name);
    this.taskTombstones.add(task.name, this.opts.clock.now());
    this.opts.onFinished(task, outcome);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.isIdle) this.opts.onIdle();
  }
}
