import { JOB_HANDLER_METADATA } from '../cloud-tasks.constants.js';
import type { JobHandlerMetadata } from './job-handler.decorator.js';

/** The only reader of `@JobHandler()` metadata. */
export function getJobHandlerMetadata(target: unknown): JobHandlerMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(JOB_HANDLER_METADATA, target) as JobHandlerMetadata | undefined;
}
