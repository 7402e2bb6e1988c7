import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CliUsageError } from '@nest-cloud-tasks/core';
import { AppEnvError, loadAppEnv, type AppEnv } from '../config/app-env.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION, LOCAL_SERVICE_ACCOUNT } from '../local-infrastructure.js';

/** Exit codes of the example's own CLIs (the package's `nest-cloud-tasks` uses the same). */
export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** Where a CLI writes (process streams by default; tests pass their own). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Which Cloud Tasks a CLI talks to, and how it was decided. */
export interface CliTarget {
  /** The environment completed the way the CLI uses it. */
  env: AppEnv;
  /** `gcp`: GCP_* set; `emulator`: CLOUD_TASKS_EMULATOR_HOST set; `assumed-local`: neither (only for commands that may do without). */
  kind: 'gcp' | 'emulator' | 'assumed-local';
  /** One line for the user: `Cloud Tasks emulator at 127.0.0.1:8123, projects/catchup-local/locations/local`. */
  description: string;
}

export const NO_TARGET_MESSAGE = [
  'No Cloud Tasks to talk to: set CLOUD_TASKS_EMULATOR_HOST (an emulator, e.g. 127.0.0.1:8123 from `npm run emulator -- --port 8123`)',
  'or GCP_PROJECT_ID and GCP_REGION (real Cloud Tasks, with Google credentials from `gcloud auth application-default login`',
  'or GOOGLE_APPLICATION_CREDENTIALS). `npm start` without them creates its queues in its in-process emulator by itself.',
].join('\n');

/** Placeholders for settings a command never uses (no task is created with them); `.invalid` cannot resolve. */
const UNUSED_SERVICE_URL = 'https://cli-not-configured.invalid';
const UNUSED_SERVICE_ACCOUNT = 'cli-not-configured@cli.invalid';

/**
 * Reads `.env` like `npm start` does, then the environment (`loadAppEnv`), and decides the target:
 * - GCP_PROJECT_ID set: that project (GCP_REGION required), through CLOUD_TASKS_EMULATOR_HOST when it is set too;
 * - only CLOUD_TASKS_EMULATOR_HOST: the emulator, with the project/location `npm start` uses locally;
 * - neither: a usage error, unless `allowAssumedLocal`, then the local defaults and the port `npm start`'s
 *   in-process emulator listens on (EMULATOR_GRPC_PORT).
 * @param needsTaskTarget the command creates tasks: CLOUD_RUN_URL and SERVICE_ACCOUNT_EMAIL must be real, not placeholders.
 */
export function resolveCliTarget(source: NodeJS.ProcessEnv, { allowAssumedLocal = false, needsTaskTarget = false } = {}): CliTarget {
  let env: AppEnv;
  try {
    env = loadAppEnv(source);
  } catch (error) {
    if (error instanceof AppEnvError) throw new CliUsageError(error.message);
    throw error;
  }
  if (env.GCP_PROJECT_ID) {
    if (!env.GCP_REGION) throw new CliUsageError('GCP_PROJECT_ID is set but GCP_REGION is not: set the Cloud Tasks location of the queues (e.g. us-central1).');
    if (needsTaskTarget) {
      const missing = (['CLOUD_RUN_URL', 'SERVICE_ACCOUNT_EMAIL'] as const).filter((name) => !env[name]);
      if (missing.length) {
        throw new CliUsageError(`${missing.join(' and ')} must be set: the re-enqueued task is POSTed to {CLOUD_RUN_URL}/api/jobs/:jobName with an OIDC token for SERVICE_ACCOUNT_EMAIL.`);
      }
    }
    const parent = `projects/${env.GCP_PROJECT_ID}/locations/${env.GCP_REGION}`;
    return {
      kind: env.CLOUD_TASKS_EMULATOR_HOST ? 'emulator' : 'gcp',
      env: { ...env, CLOUD_RUN_URL: env.CLOUD_RUN_URL ?? UNUSED_SERVICE_URL, SERVICE_ACCOUNT_EMAIL: env.SERVICE_ACCOUNT_EMAIL ?? UNUSED_SERVICE_ACCOUNT },
      description: env.CLOUD_TASKS_EMULATOR_HOST ? `Cloud Tasks emulator at ${env.CLOUD_TASKS_EMULATOR_HOST}, ${parent}` : `Cloud Tasks, ${parent}`,
    };
  }
  if (!env.CLOUD_TASKS_EMULATOR_HOST && !allowAssumedLocal) throw new CliUsageError(NO_TARGET_MESSAGE);
  const emulatorHost = env.CLOUD_TASKS_EMULATOR_HOST ?? `127.0.0.1:${env.EMULATOR_GRPC_PORT}`;
  const local: AppEnv = {
    ...env,
    GCP_PROJECT_ID: LOCAL_PROJECT_ID,
    GCP_REGION: LOCAL_REGION,
    CLOUD_RUN_URL: env.CLOUD_RUN_URL ?? `http://127.0.0.1:${env.PORT}`,
    SERVICE_ACCOUNT_EMAIL: env.SERVICE_ACCOUNT_EMAIL ?? LOCAL_SERVICE_ACCOUNT,
    CLOUD_TASKS_EMULATOR_HOST: emulatorHost,
  };
  const parent = `projects/${LOCAL_PROJECT_ID}/locations/${LOCAL_REGION}`;
  return env.CLOUD_TASKS_EMULATOR_HOST
    ? { kind: 'emulator', env: local, description: `Cloud Tasks emulator at ${emulatorHost}, ${parent}` }
    : { kind: 'assumed-local', env: local, description: `the emulator of a local \`npm start\` (${emulatorHost}), ${parent}` };
}

/** Loads `.env` from the working directory, as `npm start` does. */
export function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

/** True when `moduleUrl` is the script Node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return Boolean(script) && moduleUrl === pathToFileURL(script).href;
}

/** The message of an error and of its causes, e.g. `Could not enqueue …: 14 UNAVAILABLE: …` (a cause already quoted is left out). */
export function causeOf(error: unknown): string {
  const norm = (text: string) => text.replace(/Resolution note:/g, '').replace(/\s+/g, ' ').trim();
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const message = norm(current instanceof Error ? current.message : String(current));
    if (message && !messages.some((m) => m.includes(message.slice(0, 60)))) messages.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages.join(': ');
}
