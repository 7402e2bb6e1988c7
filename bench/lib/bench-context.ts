import type { BenchConfig } from './config.js';
import type { Figure } from './report.js';

/** What every scenario gets from the orchestrator. */
export interface BenchContext {
  config: BenchConfig;
  /** A progress line on stderr (the tables go to stdout). */
  log(message: string): void;
}

/** What a scenario hands back: its figures, and its raw numbers for the cross-scenario figures and the JSON. */
export interface ScenarioResult<T = unknown> {
  figures: Figure[];
  data: T;
}

/** A job envelope as Cloud Tasks delivers it (the body of every handler request). */
export function envelopeBody(jobName: string, data: unknown, idempotencyKey: string): string {
  return JSON.stringify({ jobName, data, idempotencyKey, enqueuedAt: new Date().toISOString() });
}
