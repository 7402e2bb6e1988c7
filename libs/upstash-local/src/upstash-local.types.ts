/** Options of {@link startUpstashLocal}. */
export interface UpstashLocalOptions {
  /** Bearer token clients must send (`Authorization: Bearer TOKEN` or `?_token=TOKEN`). Required, non-empty. */
  token: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Redis to serve; default `process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'`. */
  redisUrl?: string;
  /** Largest accepted request body; default 10 MiB. Larger bodies answer 413. */
  maxBodyBytes?: number;
  /** A Redis command that has not answered after this long fails with 503; default 10 000 ms. */
  commandTimeoutMs?: number;
  /** How long start-up waits for the first Redis connection before serving anyway; default 2 000 ms. */
  connectTimeoutMs?: number;
  /** Receives one line per notable event (Redis lost / back). Default: silent. */
  log?: (line: string) => void;
}

/** Counters kept by the server, for tests and benchmarks that count round trips and commands. */
export interface UpstashLocalStats {
  /** Authenticated requests that carried commands (one per HTTP round trip). */
  requests: number;
  /** The same, by endpoint: `command` (`POST /` and the path form), `pipeline`, `multiExec`. */
  requestsByEndpoint: { command: number; pipeline: number; multiExec: number };
  /** Commands received (every command of a pipeline or transaction counts). */
  commands: number;
  /** Commands received by upper-case name (`SET`, `EVALSHA`, `SCRIPT`…). */
  commandsByName: Record<string, number>;
  /** Commands answered with a Redis error. */
  commandErrors: number;
  /** Requests rejected with 401. */
  unauthorized: number;
  /** Requests answered 503 because Redis was unreachable. */
  redisUnavailable: number;
}

/** A running server, from {@link startUpstashLocal}. */
export interface UpstashLocal {
  /** Base URL to give `new Redis({ url, token })`, e.g. `http://127.0.0.1:8079`. */
  readonly url: string;
  readonly token: string;
  readonly host: string;
  readonly port: number;
  readonly redisUrl: string;
  /** A snapshot of the counters. */
  stats(): UpstashLocalStats;
  /** Zero the counters. */
  resetStats(): void;
  /** Stop accepting requests, drop open connections and disconnect from Redis. Idempotent. */
  close(): Promise<void>;
}
