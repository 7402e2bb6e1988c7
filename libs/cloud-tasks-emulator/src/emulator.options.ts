import type { AppEngineUrls } from './core/app-engine.target.js';
import type { EmulatorQueueSeed } from './queues/queue-definition.interface.js';
import type { EmulatorJobSeed } from './scheduler/job-seed.js';
import type { RealTimeSource } from './time/virtual.clock.js';

/** Options of {@link startEmulator}. */
export interface CloudTasksEmulatorOptions {
  /** Interface both servers listen on. Default `127.0.0.1`. */
  host?: string;
  /** The port of gRPC and HTTP/1.1 alike (REST API, `/certs`, `/clock`…); `0` (default) picks a free one. */
  port?: number;
  /**
   * An extra port serving the HTTP/1.1 side only (`0` picks a free one). Default: none, everything is served on
   * `port`. When set, `httpUrl` and `certsUrl` point at it.
   */
  httpPort?: number;
  /**
   * File holding the token-signing key and certificate, created on first use and reused by every later start, so
   * an app that cached `/certs` keeps accepting tokens after an emulator restart. Default:
   * `{dataDir}/signing-key.pem`, else `$XDG_CACHE_HOME/cloud-tasks-emulator/signing-key.pem` (`~/.cache/…`;
   * a key in memory when that cannot be written). `false`: a new key in memory at each start.
   */
  keyFile?: string | false;
  /**
   * Directory of the emulator's files: the signing key (`{dataDir}/signing-key.pem` unless `keyFile` is given) and the
   * state (`{dataDir}/state/`): queues, tasks with their schedule times and attempt counts, names still refused, IAM
   * policies and scheduler jobs, kept as a snapshot and a journal of changes, read back at the next start (the clock
   * resumes where it was, never earlier). Default: none, everything but the key lives in memory.
   */
  dataDir?: string;
  /** How much faster than real time the emulator's clock runs (schedule delays, backoffs, deadlines, rate windows, cron ticks). Default 1. */
  timeScale?: number;
  /**
   * The instant the emulator's clock starts at (a Date, epoch ms or an ISO 8601 string). Default: the real time. A
   * test can start the clock just before a daylight-saving change, for instance, and run through it at a high scale.
   */
  clockStart?: Date | number | string;
  /** `iss` of the OIDC tokens. Default `https://accounts.google.com`. */
  issuer?: string;
  /** How long a finished or deleted task's id is refused (ALREADY_EXISTS), in virtual ms. Default 1 hour. */
  tombstoneTtlMs?: number;
  /** How long a deleted queue's id is refused (FAILED_PRECONDITION), in virtual ms. The service uses 7 days; default 0 (off). */
  queueTombstoneTtlMs?: number;
  /**
   * Where App Engine tasks (`app_engine_http_request`) are sent: `baseUrl + relative_uri`. A string serves every
   * service; a map names one base URL per service (`default` for the default service, `*` for any other). Default
   * `http://127.0.0.1:8080` (the App Engine dev server). The queue's `app_engine_routing_override` wins over the task's
   * routing, as in the service.
   */
  appEngineUrl?: AppEngineUrls;
  /**
   * PurgeQueue also frees the ids of the purged tasks at once. Default false: like the service, a purged task's id
   * stays refused for `tombstoneTtlMs`. For tests that re-create the same named tasks; see also `reset()`.
   */
  purgeFreesTaskNames?: boolean;
  /** Largest task accepted (body + headers + url), in bytes. Default 1 MiB. */
  maxTaskBytes?: number;
  /** Attempt log entries kept (oldest dropped first). Default 100,000. */
  attemptLogLimit?: number;
  /** Queues created at start: one seed (project, location, definitions) or several. */
  queues?: EmulatorQueueSeed | readonly EmulatorQueueSeed[];
  /** Cloud Scheduler jobs created at start (updated when they exist): one seed (project, location, Job resources) or several. */
  jobs?: EmulatorJobSeed | readonly EmulatorJobSeed[];
  /** Real-time source of the virtual clock (tests). Default: `performance.timeOrigin + performance.now()`. */
  realTime?: RealTimeSource;
  /** Task id generator for unnamed tasks. Default: random 32 hex characters. */
  newTaskId?: () => string;
  /** Job id generator for scheduler jobs created without a name. Default: random 20 hex characters. */
  newJobId?: () => string;
}
