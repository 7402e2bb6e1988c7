import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { QueueProvisionError } from '../errors/queue-provision.error.js';
import { QueueProvisioner } from '../provisioner/queue-provisioner.js';
import { createCliContext } from './cli-config.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { causeOf, ExitCode, processIo, type CliIo } from './cli-io.js';
import { CONFIG_FLAGS, CONFIG_USAGE, configSourceOf } from './config-flags.js';

export const QUEUES_SYNC_USAGE = `Usage: nest-cloud-tasks queues:sync [--dry-run] [--prune] [--json] (--module FILE[#EXPORT] | --app FILE[#EXPORT])

Makes the Cloud Tasks queues match your queue configs: creates missing queues, updates drifted retry and rate
settings, and prints a field-by-field diff. Fields a config leaves out are held to the Cloud Tasks defaults. Queue
state (paused/running) is never changed. Then the same for the Cloud Scheduler jobs of your schedules, paused or
resumed to match; --prune deletes only Cloud Scheduler jobs that target your service's job endpoint.

  --dry-run   show what would change, change nothing
  --prune     also delete the location's queues (and this service's scheduler jobs) not in the configs
  --json      print the report as JSON instead of the diff

${CONFIG_USAGE}

Real Cloud Tasks needs Google credentials (Application Default Credentials) with roles/cloudtasks.queueAdmin
(and roles/cloudscheduler.admin for schedules).
Exit codes: 0 done (or nothing to do), 1 a change or the listing failed, 2 usage or configuration error.`;

/** What a command runs with; everything defaults to the process's. */
export interface CliDeps {
  io?: CliIo;
  /** Environment handed to the configuration (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Directory the configuration's path is resolved from (default process.cwd()). */
  cwd?: string;
  /** An application context to use instead of loading the configuration (tests); it is not closed. */
  context?: INestApplicationContext;
}

/** `nest-cloud-tasks queues:sync …`: resolves with the exit code. */
export async function queuesSync(argv: readonly string[], { io = processIo, env = process.env, cwd, context }: CliDeps = {}): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args: [...argv],
      options: { ...CONFIG_FLAGS, 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`queues:sync: ${(error as Error).message}\n\n${QUEUES_SYNC_USAGE}`);
    return ExitCode.USAGE;
  }
  if (flags.help) {
    io.out(QUEUES_SYNC_USAGE);
    return ExitCode.OK;
  }

  let app = context;
  let target: string | undefined;
  try {
    if (!app) {
      ({ app, target } = await createCliContext(configSourceOf(flags), { invocation: { command: 'queues:sync', env }, ...(cwd ? { cwd } : {}), verbose: Boolean(flags.verbose) }));
    }
  } catch (error) {
    io.err(`queues:sync: ${error instanceof CliUsageError ? error.message : `could not start: ${causeOf(error)}`}`);
    return ExitCode.USAGE;
  }

  try {
    const provisioner = app.get(QueueProvisioner, { strict: false });
    if (target && !flags.json) io.out(`Target: ${target}`);
    const report = await provisioner.sync({ dryRun: Boolean(flags['dry-run']), prune: Boolean(flags.prune) });
    io.out(flags.json ? JSON.stringify(report, null, 2) : report.format());
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof QueueProvisionError && error.report) io.out(flags.json ? JSON.stringify(error.report, null, 2) : error.report.format());
    io.err(`queues:sync failed: ${causeOf(error)}`);
    return ExitCode.FAILED;
  } finally {
    if (!context) await app.close();
  }
}
