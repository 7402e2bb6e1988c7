import { describe, expect, it } from '@jest/globals';
import { parseChaosArgs } from './chaos.config.js';
import type { Scenario } from './scenarios/index.js';

const scenario = (name: string): Scenario => ({ name, summary: name, run: async () => [] });
const ALL = [scenario('kill-9'), scenario('store-drops'), scenario('slow')];

describe('parseChaosArgs', () => {
  it('runs every scenario at full size by default', () => {
    expect(parseChaosArgs([], ALL)).toEqual({ short: false, scenarios: ALL, list: false, keepLogs: false, seed: 1 });
  });

  it('takes --short, --seed, --keep-logs and --only (in suite order, also as --only=…)', () => {
    const config = parseChaosArgs(['--short', '--only', 'slow,kill-9', '--seed=42', '--keep-logs'], ALL);
    expect(config).toEqual({ short: true, scenarios: [ALL[0], ALL[2]], list: false, keepLogs: true, seed: 42 });
    expect(parseChaosArgs(['--only=store-drops'], ALL).scenarios).toEqual([ALL[1]]);
  });

  it('refuses unknown scenarios and options with the valid choices', () => {
    expect(() => parseChaosArgs(['--only', 'kill-10'], ALL)).toThrow('Unknown scenario "kill-10": expected some of kill-9, store-drops, slow.');
    expect(() => parseChaosArgs(['--fast'], ALL)).toThrow('Unknown option --fast.');
    expect(() => parseChaosArgs(['--only'], ALL)).toThrow('--only needs a value.');
  });
});
