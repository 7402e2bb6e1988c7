import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { DeadLetterStore, type DeadLetterView } from '../dead-letter/dead-letter-store.interface.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { MemoryDeadLetterStore } from '../dead-letter/memory-dead-letter.store.js';
import { createCliContext } from './cli-config.js';
import { CLI_MEMORY_DEAD_LETTERS } from './cli.messages.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { causeOf, ExitCode, formatTable, processIo, type CliIo } from './cli-io.js';
import { CONFIG_FLAGS, CONFIG_USAGE, configSourceOf } from './config-flags.js';
import type { CliDeps } from './queues-sync.command.js';

export const DEAD_LETTERS_USAGE = `Usage: nest-cloud-tasks dead-letters <action> [options] (--module FILE[#EXPORT] | --app FILE[#EXPORT])

Jobs that will not be retried any more (permanent failures, or retryable ones that used their last attempt), read
from the dead-letter store of your configuration (Upstash with idempotency.upstash, or deadLetters.store).

Actions:
  list [--job NAME] [--limit N] [--cursor C]   newest first (default limit 50, at most 1000)
  show ID                                       one record, its data with sensitive keys masked
  retry ID                                      re-enqueue the job with its original payload under a fresh key
  discard ID                                    delete the record

  --json      print JSON instead of text

${CONFIG_USAGE}

Exit codes: 0 done, 1 not found or the store / Cloud Tasks failed, 2 usage or configuration error.`;

type Action = 'list' | 'show' | 'retry' | 'discard';
const ACTIONS: readonly Action[] = ['list', 'show', 'retry', 'discard'];

interface Parsed {
  action: Action;
  id?: string;
  job?: string;
  limit?: number;
  cursor?: string;
  json: boolean;
}

/** `nest-cloud-tasks dead-letters …`: resolves with the exit code. */
export async function deadLetters(argv: readonly string[], { io = processIo, env = process.env, cwd, context }: CliDeps = {}): Promise<number> {
  let parsed: Parsed;
  let values;
  try {
    const args = parseArgs({
      args: [...argv],
      options: { ...CONFIG_FLAGS, job: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
    values = args.values;
    if (values.help) {
      io.out(DEAD_LETTERS_USAGE);
      return ExitCode.OK;
    }
    parsed = parse(values, args.positionals);
  } catch (error) {
    io.err(`dead-letters: ${(error as Error).message}\n\n${DEAD_LETTERS_USAGE}`);
    return ExitCode.USAGE;
  }

  let app = context;
  try {
    if (!app) {
      const invocation = { command: 'dead-letters' as const, action: parsed.action, env };
      ({ app } = await createCliContext(configSourceOf(values), { invocation, ...(cwd ? { cwd } : {}), verbose: Boolean(values.verbose) }));
    }
  } catch (error) {
    io.err(`dead-letters: ${error instanceof CliUsageError ? error.message : `could not start: ${causeOf(error)}`}`);
    return ExitCode.USAGE;
  }

  try {
    if (!context && app.get(DeadLetterStore, { strict: false }) instanceof MemoryDeadLetterStore) io.err(CLI_MEMORY_DEAD_LETTERS);
    return await run(parsed, app, io);
  } finally {
    if (!context) await app.close();
  }
}

function parse(values: { job?: string; limit?: string; cursor?: string; json?: boolean }, positionals: string[]): Parsed {
  const [action, id, ...extra] = positionals;
  if (!action) throw new Error('missing action (list, show, retry or discard)');
  if (!ACTIONS.includes(action as Action)) throw new Error(`unknown action "${action}"`);
  const parsed: Parsed = { action: action as Action, json: Boolean(values.json) };
  if (action === 'list') {
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
  if (!id) throw new Error(`${action} needs the ID of a dead letter (see: dead-letters list)`);
  if (extra.length) throw new Error(`${action} takes one ID, got ${1 + extra.length} arguments`);
  for (const flag of ['job', 'limit', 'cursor'] as const) if (values[flag] !== undefined) throw new Error(`--${flag} only applies to list`);
  parsed.id = id;
  return parsed;
}

async function run(parsed: Parsed, app: INestApplicationContext, io: CliIo): Promise<number> {
  const { action, json } = parsed;
  const id = parsed.id ?? '';
  const service = app.get(DeadLetterService, { strict: false });
  let step = 'read the dead letters';
  try {
    switch (action) {
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
        const more = page.nextCursor ? ` More: the same command with --cursor ${page.nextCursor}` : '';
        io.out(`${page.items.length} dead letter${page.items.length === 1 ? '' : 's'}, newest first.${more}`);
        return ExitCode.OK;
      }
      case 'show': {
        const record = await service.get(id);
        if (!record) return notFound(io, id);
        io.out(json ? JSON.stringify(record, null, 2) : details(record));
        return ExitCode.OK;
      }
      case 'retry': {
        const record = await service.get(id);
        if (!record) return notFound(io, id);
        step = `re-enqueue job ${record.jobName}`;
        const job = await service.retry(id);
        if (json) io.out(JSON.stringify({ id: record.id, retriedAs: job.taskName, jobName: job.jobName, queue: job.queue, idempotencyKey: job.idempotencyKey }, null, 2));
        else {
          io.out(`Re-enqueued dead letter ${record.id} (job ${job.jobName}) on ${job.queue} as task ${job.taskName}.`);
          io.out(`The record stays, marked as retried, until you discard it: dead-letters discard ${record.id}`);
        }
        return ExitCode.OK;
      }
      case 'discard': {
        step = 'discard the dead letter';
        if (!(await service.discard(id))) return notFound(io, id);
        io.out(json ? JSON.stringify({ id, discarded: true }) : `Discarded dead letter ${id}.`);
        return ExitCode.OK;
      }
    }
  } catch (error) {
    io.err(`dead-letters: could not ${step}: ${causeOf(error)}`);
    return ExitCode.FAILED;
  }
}

function notFound(io: CliIo, id: string): number {
  io.err(`dead-letters: no dead letter ${id} (see: dead-letters list)`);
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
