import { emulatorRestart } from './emulator-restart.scenario.js';
import { killRepeatedly, killWithRealQueues } from './kill-instances.scenario.js';
import type { Scenario } from './scenario.js';
import { slowProcessor } from './slow-processor.scenario.js';
import { staleLease } from './stale-lease.scenario.js';
import { storeDrops, storeRestartClosed, storeRestartOpen } from './store-faults.scenario.js';

/** Every scenario, in the order a run takes them. */
export const SCENARIOS: readonly Scenario[] = [
  killRepeatedly,
  killWithRealQueues,
  storeDrops,
  storeRestartOpen,
  storeRestartClosed,
  slowProcessor,
  staleLease,
  emulatorRestart,
];

export type { Scenario } from './scenario.js';
