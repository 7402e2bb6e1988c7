import type { Redis } from '@upstash/redis';
import type { ClaimResult, DoneRecord, IdempotencyRecord, IdempotencyStore, WriteResult } from './idempotency-store.interface.js';
import { parseStoredJson } from '../utils/stored-json.js';
import { IdempotencyRecordFormatError } from '../errors/idempotency-record-format.error.js';
import { IdempotencyStoreArgumentError } from '../errors/idempotency-store-argument.error.js';

/** Options of {@link UpstashIdempotencyStore}. */
export interface UpstashIdempotencyStoreOptions {
  /** Prepended to every key; default `idempotency:`. */
  prefix?: string;
}

// NOTE: every script reads the record once and decides on it atomically. `held` is true when the record is a
// processing claim of ARGV[1]. Answers are JSON built around the raw record, so one reply carries the decision and
// what was found; a record that does not decode is reported as `"corrupt"`.
const PREAMBLE = `local raw = redis.call('GET', KEYS[1])
local record = nil
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' then record = decoded end
end
local found = 'null'
if raw then found = record and raw or '"corrupt"' end
local held = record ~= nil and record.state == 'processing' and record.owner == ARGV[1]
`;

/** ARGV: owner, claim JSON, lease ms. Won when the key is free or already this owner's (a resent claim). */
const CLAIM = `${PREAMBLE}if raw and not held then return '{"claimed":false,"record":' .. found .. '}' end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return '{"claimed":true}'`;

/** ARGV: owner, lease ms. */
const RENEW = `${PREAMBLE}if not held then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** ARGV: owner, done JSON, ttl ms. Writes when this owner holds the claim or the key is free. */
const COMPLETE = `${PREAMBLE}if raw and not held then return '{"written":false,"previous":' .. found .. '}' end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return '{"written":true,"previous":' .. found .. '}'`;

/** ARGV: owner. */
const RELEASE = `${PREAMBLE}if not held then return '{"written":false,"previous":' .. found .. '}' end
redis.call('DEL', KEYS[1])
return '{"written":true,"previous":' .. found .. '}'`;

/** ARGV: (unused owner slot), dead-letter id. Notes it on a processing claim, keeping its expiry. */
const MARK = `${PREAMBLE}if record ~= nil and record.state == 'processing' then
  record.deadLetterId = ARGV[2]
  local updated = cjson.encode(record)
  redis.call('SET', KEYS[1], updated, 'KEEPTTL')
  return updated
end
return found`;

type Script<T> = { exec(keys: string[], args: string[]): Promise<T> };

/**
 * {@link IdempotencyStore} on Upstash Redis through `@upstash/redis`. Each operation is one Lua script (EVALSHA; the
 * client sends EVAL once when Redis does not know the script yet), so a successful job costs exactly two commands:
 * claim and complete. Records are JSON values at `prefix + key`: a claim expires with its lease, a done record after
 * its TTL.
 */
export class UpstashIdempotencyStore implements IdempotencyStore {
  private readonly prefix: string;
  private readonly scripts: { claim: Script<unknown>; renew: Script<unknown>; complete: Script<unknown>; release: Script<unknown>; mark: Script<unknown> };

  /**
   * @param redis the module's shared `@upstash/redis` client.
   * @param options `prefix` (default `idempotency:`).
   */
  constructor(
    private readonly redis: Redis,
    { prefix = 'idempotency:' }: UpstashIdempotencyStoreOptions = {},
  ) {
    this.prefix = prefix;
    this.scripts = {
      claim: redis.createScript(CLAIM),
      renew: redis.createScript(RENEW),
      complete: redis.createScript(COMPLETE),
      release: redis.createScript(RELEASE),
      mark: redis.createScript(MARK),
    };
  }

  async claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    const claim: IdempotencyRecord = { state: 'processing', owner, at: Date.now() };
    const answer = reply(await this.scripts.claim.exec([this.key(key)], [owner, JSON.stringify(claim), String(positiveMs(leaseMs, 'leaseMs'))]), key) as { claimed: boolean; record?: unknown };
    return answer.claimed ? { claimed: true } : { claimed: false, record: this.recordOf(answer.record, key) };
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    return Number(await this.scripts.renew.exec([this.key(key)], [owner, String(positiveMs(leaseMs, 'leaseMs'))])) === 1;
  }

  async complete(key: string, owner: string, record: DoneRecord, ttlSeconds: number): Promise<WriteResult> {
    const ttl = String(positiveMs(ttlSeconds * 1000, 'ttlSeconds'));
    return this.written(await this.scripts.complete.exec([this.key(key)], [owner, JSON.stringify(record), ttl]), key);
  }

  async release(key: string, owner: string): Promise<WriteResult> {
    return this.written(await this.scripts.release.exec([this.key(key)], [owner]), key);
  }

  async markDeadLettered(key: string, deadLetterId: string): Promise<IdempotencyRecord | null> {
    return this.recordOf(parseStoredJson(await this.scripts.mark.exec([this.key(key)], ['', deadLetterId])), key);
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    return this.recordOf(await this.redis.get<unknown>(this.key(key)), key);
  }

  private written(value: unknown, key: string): WriteResult {
    const answer = reply(value, key) as { written: boolean; previous?: unknown };
    return { written: answer.written === true, previous: this.recordOf(answer.previous, key) };
  }

  private recordOf(value: unknown, key: string): IdempotencyRecord | null {
    if (value === null || value === undefined) return null;
    const parsed = parseStoredJson(value);
    if (isRecord(parsed)) return parsed;
    throw new IdempotencyRecordFormatError(`The value at ${this.key(key)} is not an idempotency record (expected {state:'processing'|'done', …}).`);
  }

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }
}

/** A script's JSON answer (deserialised by the client, or text when automatic deserialisation is off). */
function reply(value: unknown, key: string): Record<string, unknown> {
  const parsed = parseStoredJson(value);
  if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  throw new IdempotencyRecordFormatError(`Unexpected reply of the idempotency store for ${key}.`);
}

function positiveMs(ms: number, name: string): number {
  const rounded = Math.ceil(ms);
  if (!Number.isFinite(rounded) || rounded <= 0) {
    throw new IdempotencyStoreArgumentError(`${name} must be a positive finite number, got ${String(ms)}.`);
  }
  return rounded;
}

function isRecord(value: unknown): value is IdempotencyRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { state, at, owner } = value as Record<string, unknown>;
  if (typeof at !== 'number') return false;
  return state === 'done' || (state === 'processing' && typeof owner === 'string');
}
