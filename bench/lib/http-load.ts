import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './stats.js';

/** One autocannon run against one route. */
export interface HttpLoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** A fresh body per request (e.g. a unique idempotency key). */
  body: () => string;
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
}

export interface HttpLoadResult {
  /** 2xx responses. */
  ok: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  errors: number;
  seconds: number;
  /** 2xx responses per second. */
  rps: number;
  /** Latencies of every 2xx response, in ms, at sub-millisecond resolution (autocannon's histogram rounds to 1 ms). */
  latency: LatencySummary;
  latencies: number[];
}

/** Runs autocannon (no progress bar) and gathers exact per-response latencies from its `response` events. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const settings: autocannon.Options = {
    url: options.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 5 }),
    requests: [{ method: 'POST', path: options.path, headers: options.headers, setupRequest: (request) => ({ ...request, body: options.body() }) }],
  };
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(settings, (error: unknown, result: autocannon.Result) => (error ? reject(toError(error)) : resolve(result)));
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await done;
  const seconds = result.duration;
  return { ok: latencies.length, statuses, errors: result.errors, seconds, rps: latencies.length / seconds, latency: summarize(latencies), latencies };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
