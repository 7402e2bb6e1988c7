#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { causeOf, ExitCode, processIo, type CliIo } from './cli-io.js';
import { deadLetters } from './dead-letters.command.js';
import { queuesSync, type CliDeps } from './queues-sync.command.js';

export const CLI_USAGE = `Usage: nest-cloud-tasks <command> [options]

Commands:
  queues:sync    make the Cloud Tasks queues match your queue configs (--dry-run, --prune)
  dead-letters   list, show, retry or discard dead letters

Both read your configuration: --module FILE[#EXPORT] (your options or queue configs) or --app FILE[#EXPORT] (your
AppModule). \`nest-cloud-tasks <command> --help\` for the details.`;

const COMMANDS: Record<string, (argv: readonly string[], deps: CliDeps) => Promise<number>> = {
  'queues:sync': queuesSync,
  'dead-letters': deadLetters,
};

/** `nest-cloud-tasks <command> …`: resolves with the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const io: CliIo = deps.io ?? processIo;
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? io.out : io.err)(CLI_USAGE);
    return command ? ExitCode.OK : ExitCode.USAGE;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`nest-cloud-tasks: unknown command "${command}"\n\n${CLI_USAGE}`);
    return ExitCode.USAGE;
  }
  return run(rest, { ...deps, io });
}

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`nest-cloud-tasks: unexpected error: ${causeOf(error)}\n`);
      process.exitCode = ExitCode.FAILED;
    },
  );
}
