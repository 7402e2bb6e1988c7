#!/usr/bin/env node
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { QueueProvisioner, QueueProvisionError } from '@nest-cloud-tasks/core';
import {
  causeOf,
  CliUsageError,
  createCliContext,
  ExitCode,
  isMainModule,
  loadDotEnv,
  processIo,
  resolveCliTarget,
  type CliIo,
} from './cli-support.js';

export const QUEUES_SYNC_USAGE = `Usage: npm run queues:sync -- [--dry-run] [--prune] [--json] [--verbose]

Makes the Cloud Tasks queues match the app's queue configs (src/config/queue.config.ts): creates missing queues,
updates drifted retry and rate settings, and prints a field-by-field diff. Fields a config leaves out are held to
the Cloud Tasks defaults. Queue state (paused/running) is never changed. Then the same for the Cloud Scheduler
jobs of the app's schedules (src/config/schedule.config.ts), paused or resumed to match; --prune deletes only
Cloud Scheduler jobs that target this service's job endpoint.

Options:
  --dry-run   show what would change, change nothing
  --prune     also delete the location's queues that are not in the configs (never without this flag)
  --json      print the report as JSON instead of the diff
  --verbose   show the library's logs
  -h, --help  show this help

Target (from the environment or .env):
  GCP_PROJECT_ID + GCP_REGION        real Cloud Tasks and Cloud Scheduler (Google credentials; roles
                                     roles/cloudtasks.queueAdmin and roles/cloudscheduler.admin)
  CLOUD_TASKS_EMULATOR_HOST          an emulator (with GCP_* if set, else project catchup-local, location local)

Exit codes: 0 done (or nothing to do), 1 a change or the listing failed, 2 usage or configuration error.`;

export interface QueuesSyncDeps {
  io?: CliIo;
  /** Environment to read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** An application context to use instead of building one (tests); it is not closed. */
  context?: INestApplicationContext;
}

/** `npm run queues:sync`: resolves with the exit code. */
export async function queuesSync(argv: readonly string[], { io = processIo, env = process.env, context }: QueuesSyncDeps = {}): Promise<number> {
  let flags: { 'dry-run'?: boolean; prune?: boolean; json?: boolean; verbose?: boolean; help?: boolean };
  try {
    flags = parseArgs({
      args: [...argv],
      options: { 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
  let description: string | undefined;
  try {
    if (!app) {
      const target = resolveCliTarget(env);
      description = target.description;
      app = await createCliContext(target.env, { verbose: flags.verbose });
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`queues:sync: ${error.message}`);
      return ExitCode.USAGE;
    }
    io.err(`queues:sync: could not start: ${causeOf(error)}`);
    return ExitCode.USAGE;
  }

  try {
    const provisioner = app.get(QueueProvisioner);
    if (description && !flags.json) io.out(`Target: ${description}`);
    const report = await provisioner.sync({ dryRun: Boolean(flags['dry-run']), prune: Boolean(flags.prune) });
    io.out(flags.json ? JSON.stringify(report, null, 2) : report.format());
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof QueueProvisionError && error.report) {
      io.out(flags.json ? JSON.stringify(error.report, null, 2) : error.report.format());
    }
    io.err(`queues:sync failed: ${causeOf(error)}`);
    return ExitCode.FAILED;
  } finally {
    if (!context) await app.close();
  }
}

if (isMainModule(import.meta.url)) {
  loadDotEnv();
  queuesSync(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`queues:sync: unexpected error: ${causeOf(error)}\n`);
      process.exitCode = ExitCode.FAILED;
    },
  );
}
