#!/usr/bin/env node
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import {
  DeadLetterService,
  DeadLetterStore,
  MemoryDeadLetterStore,
  type DeadLetterView,
} from '@nest-cloud-tasks/core';
import {
  causeOf,
  CliUsageError,
  createCliContext,
  ExitCode,
  formatTable,
  isMainModule,
  loadDotEnv,
  processIo,
  resolveCliTarget,
  type CliIo,
  type CliTarget,
} from './cli-support.js';

export const DEAD_LETTERS_USAGE = `Usage: npm run dead-letters -- <command> [options]

Jobs that will not be retried any more (permanent failures, or retryable ones that used their last attempt).

Commands:
  list [--job NAME] [--limit N] [--cursor C]   newest first (default limit 50, at most 1000)
  show ID                                       one record, its data with sensitive keys masked
  retry ID                                      re-enqueue the job with its original payload under a fresh key
  discard ID                                    delete the record

Options:
  --json      print JSON instead of text
  --verbose   show the library's logs
  -h, --help  show this help

Store: Upstash when UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN are set (the service's), else memory, which
a separate process cannot see. \`retry\` also needs Cloud Tasks: GCP_PROJECT_ID + GCP_REGION + CLOUD_RUN_URL +
SERVICE_ACCOUNT_EMAIL, or CLOUD_TASKS_EMULATOR_HOST (default: the emulator of a local \`npm start\`).

Exit codes: 0 done, 1 not found or the store / Cloud Tasks failed, 2 usage or configuration error.`;

export const MEMORY_STORE_WARNING =
  'Warning: UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN are not set, so dead letters are kept in the memory of the process ' +
  'that recorded them: this separate process sees none. Set them to the values the service uses.';

export interface DeadLettersDeps {
  io?: CliIo;
  /** Environment to read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** An application context to use instead of building one (tests); it is not closed. */
  context?: INestApplicationContext;
}

type Command = 'list' | 'show' | 'retry' | 'discard';
const COMMANDS: readonly Command[] = ['list', 'show', 'retry', 'discard'];

interface Parsed {
  command: Command;
  id?: string;
  job?: string;
  limit?: number;
  cursor?: string;
  json: boolean;
  verbose: boolean;
}

/** `npm run dead-letters -- …`: resolves with the exit code. */
export async function deadLetters(argv: readonly string[], { io = processIo, env = process.env, context }: DeadLettersDeps = {}): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`dead-letters: ${(error as Error).message}\n\n${DEAD_LETTERS_USAGE}`);
    return ExitCode.USAGE;
  }
  if (parsed === 'help') {
    io.out(DEAD_LETTERS_USAGE);
    return ExitCode.OK;
  }

  let app = context;
  let target: CliTarget | undefined;
  try {
    if (!app) {
      target = resolveCliTarget(env, { allowAssumedLocal: true, needsTaskTarget: parsed.command === 'retry' });
      app = await createCliContext(target.env, { verbose: parsed.verbose });
    }
  } catch (error) {
    io.err(`dead-letters: ${error instanceof CliUsageError ? error.message : `could not start: ${causeOf(error)}`}`);
    return ExitCode.USAGE;
  }

  try {
    if (!context && app.get(DeadLetterStore) instanceof MemoryDeadLetterStore) io.err(MEMORY_STORE_WARNING);
    return await run(parsed, app, io, target);
  } finally {
    if (!context) await app.close();
  }
}

function parse(argv: readonly string[]): Parsed | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      job: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return 'help';
  const [command, id, ...extra] = positionals;
  if (!command) throw new Error('missing command (list, show, retry or discard)');
  if (!COMMANDS.includes(command as Command)) throw new Error(`unknown command "${command}"`);
  const parsed: Parsed = { command: command as Command, json: Boolean(values.json), verbose: Boolean(values.verbose) };
  if (command === 'list') {
    if (id !== undefined) throw new Error(`list takes no argument, got "${id}" (filter with --job NAME)`);
    if (values.limit !== undefined) {
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
      parsed.limit = limit;
    }
    if (values.job !== undefined) parsed.job = values.job;
    if (values.cursor !== undefined) parsed.cursor = values.cursor;
    return parsed;
  }
  if (!id) throw new Error(`${command} needs the ID of a dead letter (see: npm run dead-letters -- list)`);
  if (extra.length) throw new Error(`${command} takes one ID, got ${1 + extra.length} arguments`);
  for (const flag of ['job', 'limit', 'cursor'] as const) if (values[flag] !== undefined) throw new Error(`--${flag} only applies to list`);
  parsed.id = id;
  return parsed;
}

async function run(parsed: Parsed, app: INestApplicationContext, io: CliIo, target: CliTarget | undefined): Promise<number> {
  const { command, id, json } = parsed;
  const service = app.get(DeadLetterService);
  let step = 'read the dead letters';
  try {
    switch (command) {
      case 'list': {
        const page = await service.list({ ...(parsed.job ? { jobName: parsed.job } : {}), ...(parsed.limit ? { limit: parsed.limit } : {}), ...(parsed.cursor ? { cursor: parsed.cursor } : {}) });
        if (json) {
          io.out(JSON.stringify({ items: page.items, nextCursor: page.nextCursor ?? null }, null, 2));
          return ExitCode.OK;
        }
        if (!page.items.length) {
          io.out(parsed.cursor ? 'No more dead letters.' : `No dead letters${parsed.job ? ` for job ${parsed.job}` : ''}.`);
          return ExitCode.OK;
        }
        io.out(listTable(page.items));
        const more = page.nextCursor ? ` More: npm run dead-letters -- list${parsed.job ? ` --job ${parsed.job}` : ''}${parsed.limit ? ` --limit ${parsed.limit}` : ''} --cursor ${page.nextCursor}` : '';
        io.out(`${page.items.length} dead letter${page.items.length === 1 ? '' : 's'}, newest first.${more}`);
        return ExitCode.OK;
      }
      case 'show': {
        const record = await service.get(id!);
        if (!record) return notFound(io, id!);
        io.out(json ? JSON.stringify(record, null, 2) : details(record));
        return ExitCode.OK;
      }
      case 'retry': {
        const record = await service.get(id!);
        if (!record) return notFound(io, id!);
        step = `re-enqueue job ${record.jobName}`;
        const job = await service.retry(id!);
        if (json) io.out(JSON.stringify({ id: record.id, retriedAs: job.taskName, jobName: job.jobName, queue: job.queue, idempotencyKey: job.idempotencyKey }, null, 2));
        else {
          io.out(`Re-enqueued dead letter ${record.id} (job ${job.jobName}) on ${job.queue} as task ${job.taskName}.`);
          io.out(`The record stays, marked as retried, until you discard it: npm run dead-letters -- discard ${record.id}`);
        }
        return ExitCode.OK;
      }
      case 'discard': {
        step = 'discard the dead letter';
        if (!(await service.discard(id!))) return notFound(io, id!);
        io.out(json ? JSON.stringify({ id, discarded: true }) : `Discarded dead letter ${id}.`);
        return ExitCode.OK;
      }
    }
  } catch (error) {
    const upstash = target?.env.UPSTASH_REDIS_REST_URL;
    const hint = step.startsWith('re-enqueue')
      ? target?.kind === 'assumed-local'
        ? ` (is \`npm start\` running? Its emulator listens on ${target.env.CLOUD_TASKS_EMULATOR_HOST}; or set CLOUD_TASKS_EMULATOR_HOST / GCP_*)`
        : ''
      : upstash
        ? ` (Upstash at ${upstash}: check UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN)`
        : '';
    io.err(`dead-letters: could not ${step}: ${causeOf(error)}${hint}`);
    return ExitCode.FAILED;
  }
}

function notFound(io: CliIo, id: string): number {
  io.err(`dead-letters: no dead letter ${id} (see: npm run dead-letters -- list)`);
  return ExitCode.FAILED;
}

function listTable(items: readonly DeadLetterView[]): string {
  return formatTable(
    ['ID', 'FAILED AT', 'JOB', 'REASON', 'ATTEMPTS', 'RETRIED', 'ERROR'],
    items.map((r) => [r.id, r.failedAt.replace(/\.\d+Z$/, 'Z'), r.jobName, r.reason, String(r.attempts), r.retriedAt ? 'yes' : 'no', oneLine(r.error, 70)]),
  );
}

function details(r: DeadLetterView): string {
  const rows: [string, string][] = [
    ['id', r.id],
    ['job', r.jobName],
    ['queue', r.queue],
    ['task', r.taskName],
    ['idempotency key', r.idempotencyKey],
    ['reason', r.reason === 'exhausted' ? 'exhausted (retryable error on the final attempt)' : 'permanent'],
    ['attempts', r.maxAttempts !== undefined ? `${r.attempts} (per-job cap ${r.maxAttempts})` : String(r.attempts)],
    ['failed at', r.failedAt],
    ['retried', r.retriedAt ? `${r.retriedAt} as ${r.retriedAs ?? '?'}` : 'no'],
    ['error', r.error],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const data = JSON.stringify(r.data, null, 2) ?? 'null';
  return [...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), 'data (sensitive keys masked):', data.replace(/^/gm, '  ')].join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

if (isMainModule(import.meta.url)) {
  loadDotEnv();
  deadLetters(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`dead-letters: unexpected error: ${causeOf(error)}\n`);
      process.exitCode = ExitCode.FAILED;
    },
  );
}
