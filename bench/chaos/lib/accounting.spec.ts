import { describe, expect, it } from '@jest/globals';
import { strayEffects, tally, violations, type Observations, type SentJob } from './accounting.js';

const jobs: SentJob[] = [0, 1, 2, 3, 4].map((seq) => ({ seq, jobName: 'work', key: `k-${seq}` }));

function observed(overrides: Partial<Observations>): Observations {
  return { jobs, effects: new Map(), effectLog: [], kills: [], deadLetters: [], ...overrides };
}

describe('tally', () => {
  it('counts completed, lost, lost without a dead letter, dead letters and false dead letters per job', () => {
    const t = tally(
      observed({
        effects: new Map([
          [0, 1],
          [1, 1],
          [2, 1],
        ]),
        deadLetters: [
          { idempotencyKey: 'k-2', jobName: 'work', reason: 'permanent', attempts: 1 }, // completed and dead: false
          { idempotencyKey: 'k-3', jobName: 'work', reason: 'exhausted', attempts: 5 }, // lost, with a dead letter
          { idempotencyKey: 'other-run', jobName: 'work', reason: 'permanent', attempts: 1 }, // not ours: ignored
        ],
      }),
    );
    expect(t).toEqual({ sent: 5, completed: 3, lost: 2, lostWithoutDeadLetter: 1, runTwice: 0, runTwiceAfterKill: 0, deadLetters: 2, falseDeadLetters: 1, unprotected: undefined });
  });

  it('tells a job run twice after a kill -9 of the process that ran it first from one run twice otherwise', () => {
    const t = tally(
      observed({
        effects: new Map([
          [0, 2],
          [1, 2],
          [2, 2],
        ]),
        effectLog: [
          { seq: 0, instance: 'a', pid: 10, at: 1_000 }, // a#10 killed 500 ms later: in the window
          { seq: 0, instance: 'b', pid: 20, at: 9_000 },
          { seq: 1, instance: 'a', pid: 11, at: 5_000 }, // a#11 killed 10 s later: not in the window
          { seq: 1, instance: 'b', pid: 20, at: 16_000 },
          { seq: 2, instance: 'b', pid: 20, at: 1_200 }, // b was never killed
          { seq: 2, instance: 'a', pid: 10, at: 1_300 },
        ],
        kills: [
          { instance: 'a', pid: 10, at: 1_500 },
          { instance: 'a', pid: 11, at: 15_000 },
        ],
      }),
    );
    expect(t.runTwice).toBe(3);
    expect(t.runTwiceAfterKill).toBe(1);
  });
});

describe('violations', () => {
  const clean = tally(observed({ effects: new Map(jobs.map((j) => [j.seq, 1])) }));

  it('is empty when every job completed once', () => {
    expect(violations(clean, 'target')).toEqual([]);
  });

  it('names every missed target; run twice and unprotected jobs count only where no kill -9 explains them', () => {
    const bad = { ...clean, lostWithoutDeadLetter: 2, falseDeadLetters: 1, runTwice: 3, unprotected: 4 };
    expect(violations(bad, 'target')).toEqual([
      '2 lost without a dead letter',
      '1 false dead letters',
      '3 run twice without a kill -9',
      '4 completed jobs left unprotected without a kill -9 (a late duplicate runs them again)',
    ]);
    expect(violations(bad, 'reported')).toEqual(['2 lost without a dead letter', '1 false dead letters']);
  });
});

describe('strayEffects', () => {
  it('counts effects of seqs that were never sent', () => {
    expect(
      strayEffects(
        new Map([
          [0, 1],
          [7, 2],
        ]),
        jobs,
      ),
    ).toBe(2);
  });
});
