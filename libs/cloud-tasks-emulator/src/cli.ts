#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEmulator } from './cloud-tasks.emulator.js';
import { QUEUE_NAME_REUSE_DELAY_MS } from './emulator.constants.js';
import type { CloudTasksEmulatorOptions } from './emulator.options.js';
import type { EmulatorQueueSeed, QueueDefinition } from './queues/queue-definition.interface.js';
import type { EmulatorJobSeed } from './scheduler/job-seed.js';

const USAGE = `Usage: cloud-tasks-emulator [options]

Runs a local Google Cloud Tasks (v2) and Cloud Scheduler (v1) emulator: both APIs over gRPC and REST, a dispatcher
that delivers tasks to their targets with Cloud Tasks' headers, OIDC tokens, retries and rate limits, scheduler jobs
fired on their cron with Cloud Scheduler's headers and retries, and /certs for the tokens.
gRPC and HTTP share one port: http://HOST:PORT/certs, /jwks, /.well-known/openid-configuration, /clock, /healthz,
/attempts and the REST API /v2/... are served beside gRPC.

Options:
  --port N            the port of gRPC and HTTP (default 8123; 0 = any free port)
  --http-port N       also serve the HTTP side on this extra port (default: none; 0 = any free port)
  --host H            interface to listen on (default 127.0.0.1)
  --project ID        project of the queues created at start (default local-project)
  --location ID       location of the queues created at start (default us-central1)
  --queue NAME        create this queue at start with Cloud Tasks' defaults (repeatable)
  --queues-from FILE  JSON of queues to create at start: {"projectId","location","queues": {"<label>": {"name", ...}}}
                      or a list; every field but "name" is optional (Cloud Tasks' defaults fill the gaps)
  --schedules-from FILE  JSON of Cloud Scheduler jobs to create at start: {"projectId","location","jobs": [{"name",
                      "schedule","timeZone","httpTarget": {"uri", ...}, "retryConfig", ...}]} (REST Job resources) or a list
  --time-scale N      run the clock N times faster than real time (default 1)
  --clock-start TIME  start the emulator clock at this ISO 8601 time (default: now)
  --issuer URL        "iss" of the OIDC tokens (default https://accounts.google.com)
  --data-dir DIR      keep queues, tasks and scheduler jobs in DIR across restarts (and the signing key,
                      DIR/signing-key.pem, unless --key-file is given); default: in memory
  --key-file FILE     signing key file, created if missing, reused across restarts
                      (default DIR/signing-key.pem with --data-dir, else ~/.cache/cloud-tasks-emulator/signing-key.pem)
  --ephemeral-key     a new signing key in memory at each start instead
  --tombstone-ttl-ms N  how long (virtual ms) a finished task's id is refused (default 3600000)
  --strict-queue-names  refuse a deleted queue's name for 7 days, as the service does (default: free at once)
  --queue-tombstone-ttl-ms N  how long (virtual ms) a deleted queue's name is refused (default 0)
  --purge-frees-task-names    PurgeQueue also frees the purged tasks' ids (default: refused like any finished task)
  --app-engine-url [SERVICE=]URL  where App Engine tasks go: URL + relative_uri (repeatable, one per service;
                      "default" is the default service, "*" any other; default http://127.0.0.1:8080)
  --verbose           log every dispatch attempt to stderr
  -h, --help          show this help

Point a client at it with CLOUD_TASKS_EMULATOR_HOST=HOST:PORT. Prints one line when ready:
  cloud-tasks-emulator listening grpc=HOST:PORT http=HOST:PORT
(http is the --http-port address, or the shared port when there is none).`;

function fail(message: string): never {
  process.stderr.write(`cloud-tasks-emulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function integer(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${flag} must be a non-negative integer, got "${value}".`);
  return n;
}

type QueueEntries = Record<string, QueueDefinition | string> | (QueueDefinition | string)[];

async function readQueues(file: string): Promise<{ projectId?: string; location?: string; queues: QueueEntries }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    fail(`cannot read --queues-from ${file}: ${(error as Error).message}`);
  }
  const seed = (Array.isArray(parsed) ? { queues: parsed } : parsed) as { projectId?: unknown; location?: unknown; queues?: unknown } | null;
  if (!seed || typeof seed !== 'object' || !seed.queues || typeof seed.queues !== 'object') {
    fail(`--queues-from ${file} must hold {"projectId": "...", "location": "...", "queues": {"<label>": {"name": "..."}}} or a list of queues.`);
  }
  for (const key of ['projectId', 'location'] as const) {
    if (seed[key] !== undefined && typeof seed[key] !== 'string') fail(`--queues-from ${file}: "${key}" must be a string.`);
  }
  return seed as { projectId?: string; location?: string; queues: QueueEntries };
}

/** The queues of --queues-from and --queue together; the file's project/location win over the flags for its own queues. */
async function queueSeeds(file: string | undefined, names: string[], projectId: string | undefined, location: string | undefined): Promise<EmulatorQueueSeed[]> {
  const seeds: EmulatorQueueSeed[] = [];
  if (file) {
    const fromFile = await readQueues(file);
    seeds.push({ projectId: fromFile.projectId ?? projectId, location: fromFile.location ?? location, queues: fromFile.queues });
  }
  if (names.length > 0) seeds.push({ projectId, location, queues: names });
  return seeds;
}

async function readJobs(file: string): Promise<EmulatorJobSeed> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    fail(`cannot read --schedules-from ${file}: ${(error as Error).message}`);
  }
  const seed = (Array.isArray(parsed) ? { jobs: parsed } : parsed) as { projectId?: unknown; location?: unknown; jobs?: unknown } | null;
  if (!seed || typeof seed !== 'object' || !seed.jobs || typeof seed.jobs !== 'object') {
    fail(`--schedules-from ${file} must hold {"projectId": "...", "location": "...", "jobs": [{"name": "...", "schedule": "...", "httpTarget": {"uri": "..."}}]} or a list of jobs.`);
  }
  for (const key of ['projectId', 'location'] as const) {
    if (seed[key] !== undefined && typeof seed[key] !== 'string') fail(`--schedules-from ${file}: "${key}" must be a string.`);
  }
  return seed as EmulatorJobSeed;
}

/** `--app-engine-url URL` (every service) or `--app-engine-url SERVICE=URL` (repeatable). */
function appEngineUrls(values: string[]): string | Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1 && !/^[\w*-]+=/.test(values[0])) return values[0];
  const urls: Record<string, string> = {};
  for (const value of values) {
    const match = /^([\w*-]+)=(https?:\/\/.+)$/.exec(value);
    if (!match) fail(`--app-engine-url takes URL or SERVICE=URL (several: one per service), got "${value}".`);
    urls[match[1]] = match[2];
  }
  return urls;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'http-port': { type: 'string' },
        host: { type: 'string' },
        'queues-from': { type: 'string' },
        'schedules-from': { type: 'string' },
        'clock-start': { type: 'string' },
        queue: { type: 'string', multiple: true },
        project: { type: 'string' },
        location: { type: 'string' },
        'time-scale': { type: 'string' },
        issuer: { type: 'string' },
        'key-file': { type: 'string' },
        'data-dir': { type: 'string' },
        'ephemeral-key': { type: 'boolean' },
        'tombstone-ttl-ms': { type: 'string' },
        'strict-queue-names': { type: 'boolean' },
        'queue-tombstone-ttl-ms': { type: 'string' },
        'purge-frees-task-names': { type: 'boolean' },
        'app-engine-url': { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values['strict-queue-names'] && values['queue-tombstone-ttl-ms']) fail('--strict-queue-names and --queue-tombstone-ttl-ms exclude each other: pick one.');
  if (values['ephemeral-key'] && values['key-file']) fail('--key-file and --ephemeral-key exclude each other: pick one.');
  const timeScale = values['time-scale'] === undefined ? 1 : Number(values['time-scale']);
  if (!(timeScale > 0)) fail(`--time-scale must be a positive number, got "${values['time-scale']}".`);
  const clockStart = values['clock-start'] === undefined ? undefined : Date.parse(values['clock-start']);
  if (clockStart !== undefined && Number.isNaN(clockStart)) fail(`--clock-start must be an ISO 8601 time such as 2026-03-29T00:00:00Z, got "${values['clock-start']}".`);
  const jobs = values['schedules-from'] ? await readJobs(values['schedules-from']) : undefined;
  const options: CloudTasksEmulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port: integer(values.port, '--port', 8123),
    httpPort: values['http-port'] === undefined ? undefined : integer(values['http-port'], '--http-port', 0),
    timeScale,
    clockStart,
    issuer: values.issuer,
    keyFile: values['ephemeral-key'] ? false : values['key-file'],
    dataDir: values['data-dir'],
    tombstoneTtlMs: values['tombstone-ttl-ms'] === undefined ? undefined : integer(values['tombstone-ttl-ms'], '--tombstone-ttl-ms', 0),
    queueTombstoneTtlMs: values['strict-queue-names']
      ? QUEUE_NAME_REUSE_DELAY_MS
      : integer(values['queue-tombstone-ttl-ms'], '--queue-tombstone-ttl-ms', 0),
    purgeFreesTaskNames: values['purge-frees-task-names'] ?? false,
    appEngineUrl: appEngineUrls(values['app-engine-url'] ?? []),
    queues: await queueSeeds(values['queues-from'], values.queue ?? [], values.project, values.location),
    jobs: jobs ? { ...jobs, projectId: jobs.projectId ?? values.project, location: jobs.location ?? values.location } : undefined,
  };

  const emulator = await startEmulator(options);
  if (values.verbose) {
    emulator.on('attempt', (a) =>
      process.stderr.write(`attempt ${a.queue}/${a.taskId} #${a.attempt} retry=${a.retryCount} → ${a.status} (${a.durationMs.toFixed(1)} ms)\n`),
    );
    emulator.on('fire', (f) =>
      process.stderr.write(`fire job ${f.jobId} @${new Date(f.scheduleTime).toISOString()} #${f.attempt} → ${f.status} (${f.durationMs.toFixed(1)} ms)\n`),
    );
  }
  const http = emulator.httpUrl.replace(/^http:\/\//, '');
  process.stdout.write(`cloud-tasks-emulator listening grpc=${emulator.grpcAddress} http=${http}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cloud-tasks-emulator: error while stopping on ${signal}: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`cloud-tasks-emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
