import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../time/virtual.clock.js';
import { StateJournal } from './state.journal.js';
import type { PersistedQueue, StateImage } from './state.types.js';

const queue = (name: string): PersistedQueue => ({
  name,
  state: 'RUNNING',
  settings: {
    rate: { maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 1000 },
    retry: { maxAttempts: 100, maxRetryDurationMs: 0, minBackoffMs: 100, maxBackoffMs: 3_600_000, maxDoublings: 16 },
  },
});

describe('StateJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'emulator-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const reopen = () => StateJournal.open(dir);
  const bind = (journal: StateJournal, image: () => StateImage) => journal.bind(new VirtualClock(1, () => 1_000), image);

  it('reads back every line written, and drops only a last line cut by a crash', () => {
    const { journal } = reopen();
    bind(journal, () => reopen().loaded.image);
    journal.queueChanged(queue('projects/p/locations/l/queues/a'));
    journal.queueChanged(queue('projects/p/locations/l/queues/b'));
    journal.queueDeleted('projects/p/locations/l/queues/a');
    const [file] = readdirSync(path.join(dir, 'state')).filter((f) => f.endsWith('.jsonl'));
    appendFileSync(path.join(dir, 'state', file), '{"op":"queue","t":1,"queue":{"na');
    const { loaded } = reopen();
    expect([...loaded.image.queues.keys()]).toEqual(['projects/p/locations/l/queues/b']);
    expect([...loaded.image.deletedQueues]).toEqual([['projects/p/locations/l/queues/a', 1_000]]);
    expect(loaded.warnings).toEqual([]);
  });

  it('folds the journal into a snapshot and continues in a fresh journal, leaving no stale file', () => {
    const first = reopen().journal;
    let image!: StateImage;
    bind(first, () => image);
    first.queueChanged(queue('projects/p/locations/l/queues/a'));
    image = reopen().loaded.image;
    first.compact();
    first.queueChanged(queue('projects/p/locations/l/queues/c'));
    first.close();
    expect(readdirSync(path.join(dir, 'state')).sort()).toEqual(['journal-2.jsonl', 'snapshot.json']);
    expect(JSON.parse(readFileSync(path.join(dir, 'state', 'snapshot.json'), 'utf8'))).toMatchObject({ version: 1, journal: 'journal-2.jsonl' });
    const { loaded } = reopen();
    expect([...loaded.image.queues.keys()].sort()).toEqual(['projects/p/locations/l/queues/a', 'projects/p/locations/l/queues/c']);
  });

  it('reports a damaged line in the middle and keeps the rest', () => {
    const { journal } = reopen();
    bind(journal, () => reopen().loaded.image);
    journal.queueChanged(queue('projects/p/locations/l/queues/a'));
    appendFileSync(path.join(dir, 'state', 'journal-1.jsonl'), 'garbage\n');
    journal.queueChanged(queue('projects/p/locations/l/queues/b'));
    const { loaded } = reopen();
    expect(loaded.image.queues.size).toBe(2);
    expect(loaded.warnings).toEqual(['journal-1.jsonl line 2 is not JSON: skipped.']);
  });
});
