import { Injectable } from '@nestjs/common';
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
 * @param options `payload`: a class-validator class the payload is validated against; `maxAttempts`: a per-job cap.
 *
 * @example
 * ```ts
 * @JobHandler('calendar-sync', { payload: CalendarSyncPayload })
 * export class CalendarSyncProcessor implements JobProcessor<CalendarSyncPayload> { … }
 * ```
 */
export function JobHandler(name: string, options: JobHandlerOptions = {}): ClassDecorator {
  return (target) => {
    const metadata: JobHandlerMetadata = { ...options, name };
    Reflect.defineMetadata(JOB_HANDLER_METADATA, metadata, target);
    Injectable()(target);
  };
}

/** The metadata key `@JobHandler()` writes. */
JobHandler.KEY = JOB_HANDLER_METADATA;
