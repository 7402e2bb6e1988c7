#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudTasksConfigError, monitoringExport, monitoringExportFiles } from '@nest-cloud-tasks/core';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { causeOf, ExitCode, isMainModule, loadDotEnv, processIo, type CliIo } from './cli-support.js';

export const MONITORING_EXPORT_USAGE = `Usage: npm run monitoring:export -- [--out DIR] [--service NAME] [--channel CHANNEL]... [--stdout]

Writes a Cloud Monitoring dashboard and alert policies for the app's queues (src/config/queue.config.ts): task
attempts and failures per queue, queue depth, attempt delays, Cloud Tasks API errors, and with --service the job
handler's 5xx rate and latency. Apply them with:
  gcloud monitoring dashboards create --config-from-file=DIR/dashboard.json
  gcloud alpha monitoring policies create --policy-from-file=DIR/alert-….json   (one per policy)

Options:
  --out DIR          where to write dashboard.json and alert-*.json (default: monitoring)
  --service NAME     the Cloud Run service that serves the job endpoint (default: CLOUD_RUN_SERVICE or K_SERVICE)
  --channel CHANNEL  a notification channel of every policy (projects/P/notificationChannels/ID); repeat for more
  --stdout           print { dashboard, alertPolicies } as JSON instead of writing files
  -h, --help         show this help

From the environment or .env: GCP_PROJECT_ID and GCP_REGION (the queues' project and location).

Exit codes: 0 written, 1 writing failed, 2 usage or configuration error.`;

export interface MonitoringExportDeps {
  io?: CliIo;
  env?: NodeJS.ProcessEnv;
}

/** `npm run monitoring:export`: resolves with the exit code. */
export async function monitoringExportCli(argv: readonly string[], { io = processIo, env = process.env }: MonitoringExportDeps = {}): Promise<number> {
  let flags: { out?: string; service?: string; channel?: string[]; stdout?: boolean; help?: boolean };
  try {
    flags = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, service: { type: 'string' }, channel: { type: 'string', multiple: true }, stdout: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`monitoring:export: ${(error as Error).message}\n\n${MONITORING_EXPORT_USAGE}`);
    return ExitCode.USAGE;
  }
  if (flags.help) {
    io.out(MONITORING_EXPORT_USAGE);
    return ExitCode.OK;
  }

  let exported;
  try {
    // NOTE: only the queues' coordinates are needed, so the app's full configuration (production checks) is not.
    const projectId = env.GCP_PROJECT_ID?.trim();
    const location = env.GCP_REGION?.trim();
    if (!projectId || !location) throw new CloudTasksConfigError('GCP_PROJECT_ID and GCP_REGION must be set: the policies and the dashboard filter on the queues of that project and location.');
    const cloudRunService = flags.service ?? (env.CLOUD_RUN_SERVICE?.trim() || env.K_SERVICE?.trim() || undefined);
    exported = monitoringExport({ projectId, location, queues: QUEUE_CONFIGS, cloudRunService, notificationChannels: flags.channel });
  } catch (error) {
    if (error instanceof CloudTasksConfigError) {
      io.err(`monitoring:export: ${error.message}`);
      return ExitCode.USAGE;
    }
    throw error;
  }

  if (flags.stdout) {
    io.out(JSON.stringify(exported, null, 2));
    return ExitCode.OK;
  }
  const dir = flags.out ?? 'monitoring';
  try {
    await mkdir(dir, { recursive: true });
    const files = monitoringExportFiles(exported);
    for (const file of files) await writeFile(join(dir, file.fileName), file.content);
    io.out(`Wrote ${files.length} files to ${dir}/: dashboard.json and ${files.length - 1} alert policies. Apply them with:`);
    io.out(`  gcloud monitoring dashboards create --config-from-file=${join(dir, 'dashboard.json')}`);
    io.out(`  for f in ${join(dir, 'alert-*.json')}; do gcloud alpha monitoring policies create --policy-from-file="$f"; done`);
    return ExitCode.OK;
  } catch (error) {
    io.err(`monitoring:export: could not write to ${dir}: ${causeOf(error)}`);
    return ExitCode.FAILED;
  }
}

if (isMainModule(import.meta.url)) {
  loadDotEnv();
  monitoringExportCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`monitoring:export: unexpected error: ${causeOf(error)}\n`);
      process.exitCode = ExitCode.FAILED;
    },
  );
}
