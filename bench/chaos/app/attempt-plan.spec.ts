import { describe, expect, it } from '@jest/globals';
import { planAttempt, type ProcessorBehaviour } from './attempt-plan.js';

describe('planAttempt', () => {
  it('draws the work time from the range, the same for the same job, attempt and seed on any instance', () => {
    const behaviour: ProcessorBehaviour = { workMs: [50, 400] };
    const plans = Array.from({ length: 200 }, (_, seq) => planAttempt(behaviour, seq, 1, 7));
    for (const plan of plans) expect(plan).toEqual({ workMs: expect.any(Number), honourSignal: true, outcome: 'succeed' });
    expect(Math.min(...plans.map((p) => p.workMs))).toBeGreaterThanOrEqual(50);
    expect(Math.max(...plans.map((p) => p.workMs))).toBeLessThanOrEqual(400);
    expect(new Set(plans.map((p) => p.workMs)).size).toBeGreaterThan(100);
    expect(planAttempt(behaviour, 3, 1, 7)).toEqual(plans[3]);
    expect(planAttempt(behaviour, 3, 2, 7)).not.toEqual(plans[3]);
  });

  it('fails the first attempts of every n-th job quickly, then lets them succeed', () => {
    const behaviour: ProcessorBehaviour = { workMs: [100, 100], failFirst: { every: 10, attempts: 2 } };
    expect(planAttempt(behaviour, 20, 1, 1)).toEqual({ workMs: 20, honourSignal: true, outcome: 'retryable' });
    expect(planAttempt(behaviour, 20, 2, 1).outcome).toBe('retryable');
    expect(planAttempt(behaviour, 20, 3, 1)).toEqual({ workMs: 100, honourSignal: true, outcome: 'succeed' });
    expect(planAttempt(behaviour, 21, 1, 1).outcome).toBe('succeed');
  });

  it('makes the first attempts slow, honouring the signal or not, and ends them as told', () => {
    const slow = (then: NonNullable<ProcessorBehaviour['slow']>['then'], honourSignal = false): ProcessorBehaviour => ({ workMs: [10, 10], slow: { attempts: 1, ms: 30_000, honourSignal, then } });
    expect(planAttempt(slow('alternate'), 4, 1, 1)).toEqual({ workMs: 30_000, honourSignal: false, outcome: 'succeed' });
    expect(planAttempt(slow('alternate'), 5, 1, 1)).toEqual({ workMs: 30_000, honourSignal: false, outcome: 'retryable' });
    expect(planAttempt(slow('fail-permanently', true), 5, 1, 1)).toEqual({ workMs: 30_000, honourSignal: true, outcome: 'permanent' });
    expect(planAttempt(slow('fail'), 4, 1, 1).outcome).toBe('retryable');
    expect(planAttempt(slow('fail'), 4, 2, 1)).toEqual({ workMs: 10, honourSignal: true, outcome: 'succeed' });
  });
});
