export { CloudTasksEmulator, startEmulator, type WaitForTaskOptions } from './cloud-tasks.emulator.js';
export type { CloudTasksEmulatorOptions, EmulatorQueueSeed } from './emulator.options.js';
export type { CloudTasksEmulatorEvents, FinishedTask, TaskFinishedEvent, TaskOutcome } from './emulator.events.js';
export type { AttemptRecord, AttemptStatus } from './attempts/attempt-record.interface.js';
export { AttemptLog } from './attempts/attempt.log.js';
export type { JwtClaims, SignTokenOptions } from './oidc/oidc-token.issuer.js';
export { VirtualClock, type RealTimeSource } from './time/virtual.clock.js';
export { backoffMs } from './core/retry.policy.js';
export { DispatchHeaders } from './emulator.constants.js';
