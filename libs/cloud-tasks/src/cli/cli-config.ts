import { Module, type DynamicModule, type INestApplicationContext, type LogLevel, type Type } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESOLVED_OPTIONS } from '../cloud-tasks.tokens.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import {
  CLI_AMBIGUOUS_EXPORT,
  CLI_APP_WITHOUT_MODULE,
  CLI_BOTH_CONFIGS,
  CLI_EXPORT_NOT_FOUND,
  CLI_FACTORY_RESULT,
  CLI_FILE_IS_TYPESCRIPT,
  CLI_FILE_LOAD_FAILED,
  CLI_FILE_NOT_FOUND,
  CLI_NO_CONFIG,
  CLI_NO_USABLE_EXPORT,
  CLI_QUEUES_NEED_TARGET,
  CLI_QUEUES_ONLY_NO_STORE,
  CLI_WRONG_SHAPE,
} from './cli.messages.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { causeOf } from './cli-io.js';

/** The commands of the `nest-cloud-tasks` CLI. */
export type CliCommandName = 'queues:sync' | 'dead-letters';

/** What a function exported for `--module` is called with, so one file can serve every command. */
export interface CliInvocation {
  command: CliCommandName;
  /** The dead-letters action (`list`, `show`, `retry`, `discard`). */
  action?: string;
  /** The environment of the CLI process (after `.env`). */
  env: NodeJS.ProcessEnv;
}

/**
 * What `--module FILE#EXPORT` may point at: the module options, a function returning them (it gets the
 * {@link CliInvocation}), or the queue configs alone (then `--project`/`--location` say where they live).
 */
export type CloudTasksCliConfig =
  | CloudTasksModuleOptions
  | Record<string, QueueConfig>
  | ((cli: CliInvocation) => CloudTasksModuleOptions | Promise<CloudTasksModuleOptions>);

/** Where the CLI reads the user's configuration from, and what to complete it with. */
export interface CliConfigSource {
  /** `--module FILE[#EXPORT]`. */
  module?: string;
  /** `--app FILE[#EXPORT]` (default export name `AppModule`). */
  app?: string;
  /** Queue-only modules: the GCP project (`--project`, else GOOGLE_CLOUD_PROJECT). */
  project?: string;
  /** Queue-only modules: the Cloud Tasks location (`--location`, else CLOUD_TASKS_LOCATION). */
  location?: string;
  /** `--emulator-host`, over the configuration's (and CLOUD_TASKS_EMULATOR_HOST). */
  emulatorHost?: string;
}

export interface CliContextOptions {
  invocation: CliInvocation;
  /** Directory relative paths are resolved from (default `process.cwd()`). */
  cwd?: string;
  verbose?: boolean;
}

/** An application context on the user's configuration, and the line that says where it points. */
export interface CliContext {
  app: INestApplicationContext;
  /** `Cloud Tasks emulator at 127.0.0.1:8123, projects/p/locations/l` or `Cloud Tasks, projects/p/locations/l`. */
  target: string;
}

/** Placeholders for settings queues:sync never uses (no task is created with them); `.invalid` cannot resolve. */
const UNUSED_SERVICE_URL = 'https://cli-not-configured.invalid';
const UNUSED_SERVICE_ACCOUNT = 'cli-not-configured@cli.invalid';

@Module({})
class CloudTasksCliModule {}

/** Loads the user's configuration and boots an application context on it (rejects with {@link CliUsageError} on a mistake). */
export async function createCliContext(source: CliConfigSource, { invocation, cwd = process.cwd(), verbose = false }: CliContextOptions): Promise<CliContext> {
  if (source.module && source.app) throw new CliUsageError(CLI_BOTH_CONFIGS);
  const flag = source.app ? '--app' : source.module ? '--module' : undefined;
  if (!flag) throw new CliUsageError(CLI_NO_CONFIG(invocation.command));
  const { ref, value } = await loadExport(flag === '--app' ? source.app! : source.module!, flag, cwd);

  let root: Type<unknown> | DynamicModule;
  if (flag === '--app') {
    root = value as Type<unknown> | DynamicModule;
  } else {
    let options = await moduleOptionsOf(ref, value, invocation, source);
    // NOTE: the module reads CLOUD_TASKS_EMULATOR_HOST from process.env; the CLI's environment is the one handed to it.
    const emulatorHost = source.emulatorHost ?? options.emulatorHost ?? invocation.env.CLOUD_TASKS_EMULATOR_HOST?.trim();
    if (emulatorHost) options = { ...options, emulatorHost };
    const { CloudTasksModule } = await import('../cloud-tasks.module.js');
    root = { module: CloudTasksCliModule, imports: [CloudTasksModule.forRoot(options)] };
  }

  const { NestFactory } = await import('@nestjs/core');
  const logger: LogLevel[] | false = verbose ? ['log', 'warn', 'error'] : false;
  const app = await NestFactory.createApplicationContext(root, { logger, abortOnError: false });
  let resolved: ResolvedCloudTasksOptions;
  try {
    resolved = app.get<ResolvedCloudTasksOptions>(RESOLVED_OPTIONS, { strict: false });
  } catch {
    await app.close();
    throw new CliUsageError(CLI_APP_WITHOUT_MODULE(ref));
  }
  const parent = `projects/${resolved.projectId}/locations/${resolved.location}`;
  return { app, target: resolved.emulatorHost ? `Cloud Tasks emulator at ${resolved.emulatorHost}, ${parent}` : `Cloud Tasks, ${parent}` };
}

async function loadExport(spec: string, flag: '--module' | '--app', cwd: string): Promise<{ ref: string; value: unknown }> {
  const hash = spec.lastIndexOf('#');
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const wanted = hash > 0 ? spec.slice(hash + 1) : undefined;
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliUsageError(CLI_FILE_NOT_FOUND(file, path));

  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    if (/^\.[mc]?tsx?$/.test(extname(path))) throw new CliUsageError(`${CLI_FILE_IS_TYPESCRIPT(file)} (${causeOf(error)})`);
    throw new CliUsageError(CLI_FILE_LOAD_FAILED(file, causeOf(error)));
  }
  // NOTE: a CommonJS file's namespace repeats module.exports as `default` (and as 'module.exports' on newer Node).
  const named = Object.keys(namespace).filter((key) => key !== 'default' && key !== 'module.exports' && key !== '__esModule');
  const available = named.length ? named : Object.keys(namespace).filter((key) => key === 'default');

  if (wanted) {
    if (!(wanted in namespace)) throw new CliUsageError(CLI_EXPORT_NOT_FOUND(file, wanted, available));
    const value = namespace[wanted];
    const ref = `${file}#${wanted}`;
    const problem = flag === '--app' ? appShapeProblem(value) : moduleShapeProblem(value);
    if (problem) throw new CliUsageError(CLI_WRONG_SHAPE(ref, flag, problem));
    return { ref, value };
  }
  if (flag === '--app' && named.includes('AppModule') && !appShapeProblem(namespace.AppModule)) return { ref: `${file}#AppModule`, value: namespace.AppModule };
  const fits = available.filter((key) => !(flag === '--app' ? appShapeProblem(namespace[key]) : moduleShapeProblem(namespace[key])));
  if (fits.length === 1) return { ref: `${file}#${fits[0]}`, value: namespace[fits[0]] };
  if (fits.length === 0) throw new CliUsageError(CLI_NO_USABLE_EXPORT(file, flag, available));
  throw new CliUsageError(CLI_AMBIGUOUS_EXPORT(file, flag, fits));
}

async function moduleOptionsOf(ref: string, value: unknown, invocation: CliInvocation, source: CliConfigSource): Promise<CloudTasksModuleOptions> {
  if (typeof value === 'function') {
    let result: unknown;
    try {
      result = await (value as (cli: CliInvocation) => unknown)(invocation);
    } catch (error) {
      // NOTE: a factory that throws is saying what its configuration lacks: its message is the one to print.
      throw new CliUsageError(error instanceof Error ? error.message : String(error));
    }
    if (!isOptions(result)) throw new CliUsageError(CLI_FACTORY_RESULT(ref, describe(result)));
    return result;
  }
  if (isOptions(value)) return value;
  const queues = value as Record<string, QueueConfig>;
  if (invocation.command === 'dead-letters') throw new CliUsageError(CLI_QUEUES_ONLY_NO_STORE(ref));
  const projectId = source.project ?? invocation.env.GOOGLE_CLOUD_PROJECT;
  const location = source.location ?? invocation.env.CLOUD_TASKS_LOCATION;
  const missing = [...(projectId ? [] : ['--project ID (or GOOGLE_CLOUD_PROJECT)']), ...(location ? [] : ['--location LOCATION (or CLOUD_TASKS_LOCATION)'])];
  if (missing.length) throw new CliUsageError(CLI_QUEUES_NEED_TARGET(ref, missing));
  const emulatorHost = source.emulatorHost ?? invocation.env.CLOUD_TASKS_EMULATOR_HOST;
  return {
    projectId: projectId!,
    location: location!,
    serviceUrl: UNUSED_SERVICE_URL,
    serviceAccountEmail: UNUSED_SERVICE_ACCOUNT,
    queues,
    ...(emulatorHost ? { emulatorHost } : {}),
    // NOTE: queues:sync touches no store; memory stores are only placeholders here.
    allowMemoryStores: 'single-instance',
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptions(value: unknown): value is CloudTasksModuleOptions {
  return isPlainObject(value) && typeof value.projectId === 'string' && isPlainObject(value.queues);
}

function isQueues(value: unknown): value is Record<string, QueueConfig> {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.values(value).every((q) => isPlainObject(q) && typeof q.name === 'string');
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

function moduleShapeProblem(value: unknown): string | undefined {
  if (isClass(value)) return `a class (${(value as { name: string }).name})`;
  if (typeof value === 'function' || isOptions(value) || isQueues(value)) return undefined;
  return describe(value);
}

function appShapeProblem(value: unknown): string | undefined {
  if (isClass(value)) return undefined;
  if (isPlainObject(value) && typeof value.module === 'function') return undefined;
  return describe(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isClass(value)) return `a class (${(value as { name: string }).name})`;
  if (typeof value === 'function') return 'a function';
  if (isPlainObject(value)) return `an object with keys ${Object.keys(value).slice(0, 6).join(', ') || '(none)'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
