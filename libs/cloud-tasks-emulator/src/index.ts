export { CloudTasksEmulator, startEmulator, type WaitForTaskOptions } from './cloud-tasks.emulator.js';
export type { CloudTasksEmulatorOptions } from './emulator.options.js';
export type {
  DurationInput,
  EmulatorQueueSeed,
  QueueAppEngineRouting,
  QueueDefinition,
  QueueRateDefinition,
  QueueRetryDefinition,
} from './queues/queue-definition.interface.js';
export { createEmulatorClient, createSchedulerEmulatorClient, emulatorClientOptions, parseHostPort, type EmulatorClientOptions, type GaxClientOptions } from './client/emulator-client.js';
export type { CloudTasksEmulatorEvents, FinishedTask, TaskFinishedEvent, TaskOutcome } from './emulator.events.js';
export type { AttemptRecord, AttemptStatus, FireRecord, LoggedAttempt } from './attempts/attempt-record.interface.js';
export type { ExecutionOutcome, JobExecution } from './scheduler/scheduler.engine.js';
export { scheduleTimeHeader } from './scheduler/scheduler.engine.js';
export { SchedulerHeaders } from './scheduler/scheduler.constants.js';
export type { EmulatorJobSeed } from './scheduler/job-seed.js';
export { AttemptLog } from './attempts/attempt.log.js';
export type { JwtClaims, SignTokenOptions } from './oidc/oidc-token.issuer.js';
export { VirtualClock, type RealTimeSource } from './time/virtual.clock.js';
export { backoffMs } from './core/retry.policy.js';
export { DispatchHeaders } from './emulator.constants.js';
