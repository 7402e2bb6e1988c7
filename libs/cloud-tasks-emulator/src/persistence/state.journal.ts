import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TaskRecord } from '../core/task.record.js';
import type { VirtualClock } from '../time/virtual.clock.js';
import { taskToPersisted } from './state.codec.js';
import { applyOp, emptyImage, parseSnapshot, snapshotText } from './state.image.js';
import type { JournalOp, PersistedJob, PersistedPolicy, PersistedQueue, StateImage, StateSink } from './state.types.js';

const STATE_DIR = 'state';
const SNAPSHOT = 'snapshot.json';
const JOURNAL_RE = /^journal-(\d+)\.jsonl$/;
/** A journal is folded into a snapshot once it has this many lines and twice as many as the state has objects. */
const MIN_COMPACT_LINES = 50_000;

const journalName = (index: number): string => `journal-${index}.jsonl`;

/** What was read back from a data directory. */
export interface LoadedState {
  image: StateImage;
  /** Lines that could not be read (a line cut by a crash is expected; anything else is reported). */
  warnings: string[];
}

/**
 * The emulator's state on disk: `state/snapshot.json` (written aside, fsynced, renamed into place) and the journal
 * that continues it, `state/journal-N.jsonl`, one JSON line per change, appended with a synchronous write before the
 * RPC answers. A process killed at any point (kill -9) loses at most the change being written: a cut last line is
 * ignored when the journal is read back. Appends are not fsynced: a power cut may lose the last changes the kernel
 * had not written yet, never the snapshot. The journal is folded into a new snapshot at start and whenever it grows
 * past {@link MIN_COMPACT_LINES} lines and twice the state's size, after the operation that grew it.
 */
export class StateJournal implements StateSink {
  private fd: number | undefined;
  private lines = 0;
  private threshold = MIN_COMPACT_LINES;
  private compactPending: NodeJS.Immediate | undefined;
  private clock: VirtualClock | undefined;
  private exportImage: (() => StateImage) | undefined;

  private constructor(
    private readonly dir: string,
    private index: number,
  ) {}

  /** Reads the state of `dataDir` (empty when there is none) and opens its journal for appending. */
  static open(dataDir: string): { journal: StateJournal; loaded: LoadedState } {
    const dir = path.join(dataDir, STATE_DIR);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const warnings: string[] = [];
    let image = emptyImage();
    let journal = journalName(1);
    const snapshotFile = path.join(dir, SNAPSHOT);
    if (existsSync(snapshotFile)) ({ image, journal } = parseSnapshot(readFileSync(snapshotFile, 'utf8')));
    const journalFile = path.join(dir, journal);
    if (existsSync(journalFile)) {
      const text = readFileSync(journalFile, 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (line === '') return;
        let op: JournalOp;
        try {
          op = JSON.parse(line) as JournalOp;
        } catch {
          // NOTE: only the last line can be cut by a crash; that one is dropped silently.
          if (i !== lines.length - 1) warnings.push(`${journal} line ${i + 1} is not JSON: skipped.`);
          return;
        }
        applyOp(image, op);
      });
    }
    const state = new StateJournal(dir, Number(JOURNAL_RE.exec(journal)?.[1] ?? 1));
    state.fd = openSync(journalFile, 'a');
    return { journal: state, loaded: { image, warnings } };
  }

  /** Starts journaling: `t` of each line comes from `clock`; a compaction asks `exportImage` for the whole state. */
  bind(clock: VirtualClock, exportImage: () => StateImage): void {
    this.clock = clock;
    this.exportImage = exportImage;
  }

  queueChanged(queue: PersistedQueue): void {
    this.append({ op: 'queue', t: this.now(), queue });
  }

  queueDeleted(name: string): void {
    this.append({ op: 'queue.del', t: this.now(), name });
  }

  queuePurged(name: string, freeNames: boolean): void {
    this.append({ op: 'queue.purge', t: this.now(), name, freeNames });
  }

  taskChanged(task: TaskRecord): void {
    this.append({ op: 'task', t: this.now(), task: taskToPersisted(task) });
  }

  taskDeleted(name: string): void {
    this.append({ op: 'task.del', t: this.now(), name });
  }

  policyChanged(resource: string, policy: PersistedPolicy): void {
    this.append({ op: 'iam', t: this.now(), resource, policy });
  }

  jobChanged(job: PersistedJob): void {
    this.append({ op: 'job', t: this.now(), job });
  }

  jobDeleted(name: string): void {
    this.append({ op: 'job.del', t: this.now(), name });
  }

  reset(keepQueues: boolean, keepJobs: boolean): void {
    this.append({ op: 'reset', t: this.now(), keepQueues, keepJobs });
  }

  /** Writes the whole state as the new snapshot and starts an empty journal after it. */
  compact(): void {
    if (this.fd === undefined || !this.exportImage) return;
    if (this.compactPending) clearImmediate(this.compactPending);
    this.compactPending = undefined;
    const image = this.exportImage();
    image.clock = Math.max(image.clock, this.now());
    const next = journalName(this.index + 1);
    const snapshotFile = path.join(this.dir, SNAPSHOT);
    const aside = `${snapshotFile}.tmp`;
    const fd = openSync(aside, 'w', 0o600);
    try {
      writeSync(fd, snapshotText(image, next));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const nextFd = openSync(path.join(this.dir, next), 'w', 0o600);
    // NOTE: until this rename the old snapshot and its complete journal stay the state; after it, the new pair.
    renameSync(aside, snapshotFile);
    syncDirectory(this.dir);
    closeSync(this.fd);
    this.fd = nextFd;
    this.index++;
    this.lines = 0;
    this.threshold = Math.max(MIN_COMPACT_LINES, 2 * (image.tasks.size + image.queues.size + image.jobs.size + image.taskTombstones.size));
    this.removeStaleFiles(next);
  }

  /** Records the clock and closes the journal (the state stays on disk for the next start). */
  close(): void {
    if (this.fd === undefined) return;
    if (this.compactPending) clearImmediate(this.compactPending);
    this.compactPending = undefined;
    if (this.clock) this.append({ op: 'clock', t: this.now() });
    closeSync(this.fd);
    this.fd = undefined;
  }

  private append(op: JournalOp): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(op)}\n`);
    if (++this.lines >= this.threshold && !this.compactPending) {
      // NOTE: after the operation that wrote this line has finished, so the snapshot holds all of it.
      this.compactPending = setImmediate(() => this.compact());
    }
  }

  private now(): number {
    return Math.round(this.clock?.now() ?? Date.now());
  }

  private removeStaleFiles(current: string): void {
    for (const file of readdirSync(this.dir)) {
      if ((JOURNAL_RE.test(file) && file !== current) || file === `${SNAPSHOT}.tmp`) {
        try {
          unlinkSync(path.join(this.dir, file));
        } catch {
          // already gone
        }
      }
    }
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // NOTE: some platforms cannot fsync a directory; the rename is still atomic.
  }
}
