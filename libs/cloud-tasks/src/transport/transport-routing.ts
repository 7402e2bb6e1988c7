import { TRANSPORT_NAMES, type TransportName } from './job-transport.js';

/** Which transport each job uses: a default, and per-job overrides. */
export interface TransportRouting {
  default?: TransportName;
  jobs?: Record<string, TransportName>;
}

/**
 * Parses a routing from an environment variable, so that moving a job between transports (or rolling back) is one
 * variable: `JOB_TRANSPORTS="calendar-sync=bullmq,token-refresh=bullmq"`, with `*=bullmq` for the default.
 *
 * @throws Error naming the bad entry.
 */
export function parseTransportRouting(value: string | undefined): TransportRouting {
  const routing: TransportRouting = {};
  for (const entry of (value ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*([a-z-]+)$/.exec(entry);
    if (!match || !TRANSPORT_NAMES.includes(match[2] as TransportName)) {
      throw new Error(`Invalid transport routing entry "${entry}": expected job=transport (or *=transport), transport one of ${TRANSPORT_NAMES.join(', ')}.`);
    }
    const [, job, transport] = match;
    if (job === '*') routing.default = transport as TransportName;
    else (routing.jobs ??= {})[job] = transport as TransportName;
  }
  return routing;
}
