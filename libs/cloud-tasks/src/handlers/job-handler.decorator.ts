import { Injectable, type ScopeOptions } from '@nestjs/common';
import { SCOPE_OPTIONS_METADATA } from '@nestjs/common/constants.js';
import { JOB_HANDLER_METADATA } from '../cloud-tasks.constants.js';
import type { JobHandlerOptions } from '../interfaces/job.interface.js';

/** What `@JobHandler()` stores on the class. */
export interface JobHandlerMetadata extends JobHandlerOptions {
  name: string;
}

/**
 * Marks a provider as the handler of one job type. It is discovered at boot, checked against the queue configs,
 * and called by the generated controller at `POST /{handlerPath}/{name}`. The class must implement
 * `process(data, job)` ({@link JobProcessor}) and be listed in a module's `providers`.
 *
 * @param name the job name, e.g. `'calendar-sync'`; must have an entry in the module's `queues` option.
 * @param options `payload`: a class-validator class the payload is validated against; `maxAttempts`: a per-job cap;
 *   `scope`: `Scope.REQUEST` for an instance per delivery (an `@Injectable({ scope })` on the class works too).
 *
 * @example
 * ```ts
 * @JobHandler('calendar-sync', { payload: CalendarSyncPayload })
 * export class CalendarSyncProcessor implements JobProcessor<CalendarSyncPayload> { … }
 * ```
 */
export function JobHandler(name: string, options: JobHandlerOptions = {}): ClassDecorator {
  return (target) => {
    const { scope, ...handlerOptions } = options;
    const metadata: JobHandlerMetadata = { ...handlerOptions, name };
    Reflect.defineMetadata(JOB_HANDLER_METADATA, metadata, target);
    // NOTE: keep a scope an @Injectable({ scope }) below this decorator already set.
    const existing = Reflect.getMetadata(SCOPE_OPTIONS_METADATA, target) as ScopeOptions | undefined;
    Injectable(scope !== undefined ? { scope } : existing)(target);
  };
}

/** The metadata key `@JobHandler()` writes. */
JobHandler.KEY = JOB_HANDLER_METADATA;
