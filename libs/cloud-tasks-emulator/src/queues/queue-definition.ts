import { msToDuration } from '../core/durations.js';
import { DEFAULT_LOCATION, DEFAULT_PROJECT_ID } from '../emulator.constants.js';
import type { QueuePb } from '../grpc/proto.types.js';
import type { DurationInput, EmulatorQueueSeed, QueueDefinition } from './queue-definition.interface.js';

/** A queue definition from a seed, with its full resource name and where it came from (for error messages). */
export interface SeededQueue {
  label: string;
  name: string;
  queue: QueuePb;
}

/** Parses a Cloud Tasks duration (`'30s'`, `'0.5s'`, or a number of seconds) into milliseconds. */
export function parseDuration(value: DurationInput, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`Invalid duration ${value} for ${what}: expected a non-negative number of seconds.`);
    return Math.round(value * 1000);
  }
  const match = /^(\d+(?:\.\d+)?)s$/.exec(String(value).trim());
  if (!match) throw new Error(`Invalid duration "${value}" for ${what}: expected seconds with an "s" suffix, e.g. "10s" or "0.5s".`);
  return Math.round(Number(match[1]) * 1000);
}

/** The `Queue` message a definition stands for (what a provisioner would send); absent fields stay unset. */
export function queueDefinitionToPb(name: string, definition: QueueDefinition): QueuePb {
  const { retryConfig: r, rateLimits, appEngineRoutingOverride } = definition;
  const duration = (value: DurationInput | undefined, field: string) =>
    value === undefined ? undefined : msToDuration(parseDuration(value, `${definition.name}.retryConfig.${field}`));
  return {
    name,
    rateLimits: rateLimits
      ? { maxDispatchesPerSecond: rateLimits.maxDispatchesPerSecond, maxConcurrentDispatches: rateLimits.maxConcurrentDispatches }
      : undefined,
    retryConfig: r
      ? {
          maxAttempts: r.maxAttempts,
          minBackoff: duration(r.minBackoff, 'minBackoff'),
          maxBackoff: duration(r.maxBackoff, 'maxBackoff'),
          maxDoublings: r.maxDoublings,
          maxRetryDuration: duration(r.maxRetryDuration, 'maxRetryDuration'),
        }
      : undefined,
    appEngineRoutingOverride: appEngineRoutingOverride ? { ...appEngineRoutingOverride } : undefined,
  };
}

/** Every queue of a seed as a `Queue` message under `projects/{projectId}/locations/{location}`. */
export function seededQueues(seed: EmulatorQueueSeed): SeededQueue[] {
  const parent = `projects/${seed.projectId ?? DEFAULT_PROJECT_ID}/locations/${seed.location ?? DEFAULT_LOCATION}`;
  const entries: [string, QueueDefinition | string][] = Array.isArray(seed.queues)
    ? seed.queues.map((q, i) => [`queues[${i}]`, q])
    : Object.entries(seed.queues);
  return entries.map(([label, entry]) => {
    const definition = typeof entry === 'string' ? { name: entry } : entry;
    if (!definition || typeof definition.name !== 'string' || definition.name === '') {
      throw new Error(`Queue definition ${label} has no "name": give at least { "name": "my-queue" } or just "my-queue".`);
    }
    const name = `${parent}/queues/${definition.name}`;
    return { label, name, queue: queueDefinitionToPb(name, definition) };
  });
}
