import type { Redis } from '@upstash/redis';
import type { ClaimResult, DoneRecord, IdempotencyRecord, IdempotencyStore } from './idempotency-store.interface.js';
import { parseStoredJson } from '../utils/stored-json.js';

/** Options of {@link UpstashIdempotencyStore}. */
export interface UpstashIdempotencyStoreOptions {
  /** Prepended to every key; default `idempotency:`. */
  prefix?: string;
}

/** A record in the store that is not an idempotency record (another writer, or a corrupted value). */
export class IdempotencyRecordFormatError extends Error {
  override readonly name = 'IdempotencyRecordFormatError';
}

/** Invalid arguments given to the store (a lease or TTL that Redis would reject). */
export class IdempotencyStoreArgumentError extends Error {
  override readonly name = 'IdempotencyStoreArgumentError';
}

// NOTE: KEYS[1] = record key, ARGV[1] = owner. Deletes only a 'processing' claim held by that owner.
const RELEASE_SCRIPT = `local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, record = pcall(cjson.decode, raw)
if ok and type(record) == 'table' and record.state == 'processing' and record.owner == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * {@link IdempotencyStore} on Upstash Redis through `@upstash/redis` (auto-pipelining on is fine).
 *
 * - `claim`: `SET prefix+key {processing} NX PX lease`; only a lost claim costs a second command (`GET`).
 * - `complete`: one `SET prefix+key {done} EX ttl` (PX for fractional seconds).
 * - `release`: a Lua compare-and-delete through the client's script support (EVALSHA, EVAL on NOSCRIPT).
 *
 * A successful job therefore costs exactly two commands: claim and complete.
 */
export class UpstashIdempotencyStore implements IdempotencyStore {
  private readonly prefix: string;
  private readonly releaseScript: { exec(keys: string[], args: string[]): Promise<number> };

  /**
   * @param redis the module's shared `@upstash/redis` client.
   * @param options `prefix` (default `idempotency:`).
   */
  constructor(
    private readonly redis: Redis,
    { prefix = 'idempotency:' }: UpstashIdempotencyStoreOptions = {},
  ) {
    this.prefix = prefix;
    this.releaseScript = redis.createScript<number>(RELEASE_SCRIPT);
  }

  /** Claims `key` for `owner` for `leaseMs`; on a lost claim, returns the record that holds it. */
  async claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    const at = Date.now();
    const claim: IdempotencyRecord = { state: 'processing', owner, at };
    const won = await this.redis.set(this.key(key), claim, { nx: true, px: positiveMs(leaseMs, 'leaseMs') });
    if (won === 'OK') return { claimed: true };
    // NOTE: awaited after the SET, never batched with it: auto-pipelined batches travel unordered.
    return { claimed: false, record: await this.get(key) };
  }

  /** Writes the done record in one command, expiring after `ttlSeconds`. */
  async complete(key: string, record: DoneRecord, ttlSeconds: number): Promise<void> {
    const expiry = Number.isInteger(ttlSeconds) && ttlSeconds > 0 ? { ex: ttlSeconds } : { px: positiveMs(ttlSeconds * 1000, 'ttlSeconds') };
    await this.redis.set(this.key(key), record, expiry);
  }

  /** Deletes the claim only while `owner` still holds it (atomic compare-and-delete). */
  async release(key: string, owner: string): Promise<boolean> {
    const deleted = await this.releaseScript.exec([this.key(key)], [owner]);
    return Number(deleted) === 1;
  }

  /** The current record, or null. */
  async get(key: string): Promise<IdempotencyRecord | null> {
    const value = await this.redis.get<unknown>(this.key(key));
    return value === null ? null : toRecord(value, this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }
}

function positiveMs(ms: number, name: string): number {
  const rounded = Math.ceil(ms);
  if (!Number.isFinite(rounded) || rounded <= 0) {
    throw new IdempotencyStoreArgumentError(`${name} must be a positive finite number, got ${String(ms)}.`);
  }
  return rounded;
}

function toRecord(value: unknown, key: string): IdempotencyRecord {
  const parsed = parseStoredJson(value);
  if (isRecord(parsed)) return parsed;
  throw new IdempotencyRecordFormatError(`The value at ${key} is not an idempotency record (expected {state:'processing'|'done', …}).`);
}

function isRecord(value: unknown): value is IdempotencyRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { state, at, owner } = value as Record<string, unknown>;
  if (typeof at !== 'number') return false;
  return state === 'done' || (state === 'processing' && typeof owner === 'string');
}
