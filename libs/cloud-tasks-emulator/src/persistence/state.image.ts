import type { JournalOp, PersistedTask, StateImage } from './state.types.js';

export function emptyImage(): StateImage {
  return { clock: 0, queues: new Map(), tasks: new Map(), taskTombstones: new Map(), deletedQueues: new Map(), iam: new Map(), jobs: new Map() };
}

const tasksOf = (image: StateImage, queue: string): PersistedTask[] => [...image.tasks.values()].filter((t) => t.queue === queue);

/** Applies one journal line to the image, as the engines applied the change it records. */
export function applyOp(image: StateImage, op: JournalOp): void {
  image.clock = Math.max(image.clock, op.t);
  switch (op.op) {
    case 'queue':
      image.queues.set(op.queue.name, op.queue);
      image.deletedQueues.delete(op.queue.name);
      return;
    case 'queue.del':
      image.queues.delete(op.name);
      image.iam.delete(op.name);
      image.deletedQueues.set(op.name, op.t);
      for (const task of tasksOf(image, op.name)) deleteTask(image, task.name, op.t);
      return;
    case 'queue.purge':
      for (const task of tasksOf(image, op.name)) deleteTask(image, task.name, op.t);
      if (op.freeNames) for (const name of image.taskTombstones.keys()) if (name.startsWith(`${op.name}/tasks/`)) image.taskTombstones.delete(name);
      return;
    case 'task':
      image.tasks.set(op.task.name, op.task);
      return;
    case 'task.del':
      deleteTask(image, op.name, op.t);
      return;
    case 'iam':
      image.iam.set(op.resource, op.policy);
      return;
    case 'job':
      image.jobs.set(op.job.name, op.job);
      return;
    case 'job.del':
      image.jobs.delete(op.name);
      return;
    case 'reset':
      image.tasks.clear();
      image.taskTombstones.clear();
      image.deletedQueues.clear();
      image.iam.clear();
      if (!op.keepQueues) image.queues.clear();
      if (!op.keepJobs) image.jobs.clear();
      return;
    case 'clock':
      return;
  }
}

function deleteTask(image: StateImage, name: string, t: number): void {
  image.tasks.delete(name);
  // NOTE: re-inserted so the map stays in deletion order, as the tombstone registry expects.
  image.taskTombstones.delete(name);
  image.taskTombstones.set(name, t);
}

interface SnapshotFile {
  version: 1;
  /** The journal file that continues this snapshot. */
  journal: string;
  clock: number;
  queues: StateImage['queues'] extends Map<string, infer V> ? V[] : never;
  tasks: PersistedTask[];
  taskTombstones: [string, number][];
  deletedQueues: [string, number][];
  iam: [string, StateImage['iam'] extends Map<string, infer V> ? V : never][];
  jobs: StateImage['jobs'] extends Map<string, infer V> ? V[] : never;
}

export function snapshotText(image: StateImage, journal: string): string {
  const file: SnapshotFile = {
    version: 1,
    journal,
    clock: image.clock,
    queues: [...image.queues.values()],
    tasks: [...image.tasks.values()],
    taskTombstones: [...image.taskTombstones],
    deletedQueues: [...image.deletedQueues],
    iam: [...image.iam],
    jobs: [...image.jobs.values()],
  };
  return JSON.stringify(file);
}

export function parseSnapshot(text: string): { image: StateImage; journal: string } {
  const file = JSON.parse(text) as SnapshotFile;
  if (file.version !== 1) throw new Error(`Unknown snapshot version ${String(file.version)}.`);
  return {
    journal: file.journal,
    image: {
      clock: file.clock,
      queues: new Map(file.queues.map((q) => [q.name, q])),
      tasks: new Map(file.tasks.map((t) => [t.name, t])),
      taskTombstones: new Map(file.taskTombstones),
      deletedQueues: new Map(file.deletedQueues),
      iam: new Map(file.iam),
      jobs: new Map(file.jobs.map((j) => [j.name, j])),
    },
  };
}
