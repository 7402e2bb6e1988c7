import type { Type } from '@nestjs/common';
import { JobHandler } from '../handlers/job-handler.decorator.js';
import type { JobContext, JobHandlerOptions, JobProcessor } from '../interfaces/job.interface.js';

export interface ProcessorCall {
  data: unknown;
  job: JobContext;
}

/** A processor whose behaviour a test sets, and which records every call. */
export class ScriptedProcessor implements JobProcessor {
  readonly calls: ProcessorCall[] = [];
  /** What `process()` does (default: resolve `{ ok: true }`). May throw, or wait on a promise the test controls. */
  behaviour: (data: unknown, job: JobContext) => unknown = () => ({ ok: true });

  async process(data: unknown, job: JobContext): Promise<unknown> {
    this.calls.push({ data, job });
    return this.behaviour(data, job);
  }
}

/** A `@JobHandler(jobName, options)` class (named `<JobName>Processor`) built on {@link ScriptedProcessor}. */
export function scriptedHandler(jobName: string, options: JobHandlerOptions = {}): Type<ScriptedProcessor> {
  class Handler extends ScriptedProcessor {}
  const className = `${jobName.replace(/(^|[-_.])(\w)/g, (_, _sep: string, ch: string) => ch.toUpperCase())}Processor`;
  Object.defineProperty(Handler, 'name', { value: className });
  JobHandler(jobName, options)(Handler);
  return Handler;
}
