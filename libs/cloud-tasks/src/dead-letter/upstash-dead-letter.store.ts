import type { Redis } from '@upstash/redis';
import type {
  DeadLetterListOptions,
  DeadLetterPage,
  DeadLetterRecord,
  DeadLetterStore,
} from './dead-letter-store.interface.js';
import { parseStoredJson } from '../utils/stored-json.js';
import { DeadLetterStoreError } from '../errors/dead-letter-store.error.js';

/** Options of {@link UpstashDeadLetterStore}. */
export interface UpstashDeadLetterStoreOptions {
  /** Prepended to every key; default `deadletter:`. */
  prefix?: string;
  /** How long a record is kept; default 30 days. */
  ttlSeconds?: number;
}

const THIRTY_DAYS = 30 * 24 * 60 * 60;
const MAX_LIMIT = 1_000;
const MEMBER = /^(\d{15}):(.+)$/s;

/**
 * {@link DeadLetterStore} on Upstash Redis through `@upstash/redis`.
 *
 * Layout: each record is a JSON value at `prefix + id` expiring after `ttlSeconds`; two sorted sets index them
 * newest first, `prefix + '~index'` (all jobs) and `prefix + '~index:' + jobName`. Index members are
 * `{failedAt ms, 15 digits}:{id}` with score 0, so `ZRANGE … BYLEX REV` walks them by failedAt then id, descending,
 * and the cursor is the last member returned (keyset pagination: stable while records are added or removed).
 * Index entries of expired records are dropped when a listing meets them; an index key expires a TTL after its last save.
 */
export class UpstashDeadLetterStore implements DeadLetterStore {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  /**
   * @param redis the module's shared `@upstash/redis` client.
   * @param options `prefix` (default `deadletter:`), `ttlSeconds` (default 30 days).
   */
  constructor(
    private readonly redis: Redis,
    { prefix = 'deadletter:', ttlSeconds = THIRTY_DAYS }: UpstashDeadLetterStoreOptions = {},
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new DeadLetterStoreError(`ttlSeconds must be a positive integer, got ${String(ttlSeconds)}.`);
    }
    this.prefix = prefix;
    this.ttlSeconds = ttlSeconds;
  }

  /** Stores the record: one transaction sets the record with its TTL and adds both index entries. */
  async save(record: DeadLetterRecord): Promise<void> {
    const member = this.member(record);
    const tx = this.redis.multi().set(this.recordKey(record.id), record, { ex: this.ttlSeconds });
    // NOTE: an index outlives every record it lists, and expires once no dead letter was saved for a whole TTL.
    for (const index of [this.globalIndex(), this.jobIndex(record.jobName)]) {
      tx.zadd(index, { score: 0, member }).expire(index, this.ttlSeconds);
    }
    await tx.exec();
  }

  /** A page of records, newest first, optionally of one job; pass `nextCursor` back for the next page. */
  async list({ jobName, limit = 50, cursor }: DeadLetterListOptions): Promise<DeadLetterPage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new DeadLetterStoreError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${String(limit)}.`);
    }
    const index = jobName === undefined ? this.globalIndex() : this.jobIndex(jobName);
    const found: { member: string; record: DeadLetterRecord }[] = [];
    let start: `(${string}` | '+' = cursor === undefined ? '+' : `(${decodeCursor(cursor)}`;
    while (found.length <= limit) {
      const want = limit + 1 - found.length;
      const members = await this.redis.zrange<string[]>(index, start, '-', { byLex: true, rev: true, offset: 0, count: want });
      if (members.length === 0) break;
      // NOTE: each step awaits the previous one; the MGET depends on the ZRANGE reply.
      const values = await this.redis.mget<unknown[]>(...members.map((m) => this.recordKey(idOf(m))));
      const stale: string[] = [];
      members.forEach((member, i) => {
        const record = values[i] === null ? null : toRecord(values[i], member);
        if (record && this.member(record) === member) found.push({ member, record });
        else stale.push(member);
      });
      if (stale.length > 0) await this.redis.zrem(index, ...stale);
      if (members.length < want) break;
      start = `(${members[members.length - 1]}`;
    }
    const items = found.slice(0, limit);
    if (found.length <= limit) return { items: items.map((f) => f.record) };
    return { items: items.map((f) => f.record), nextCursor: encodeCursor(items[items.length - 1].member) };
  }

  /** The record, or null when it does not exist (or expired). */
  async get(id: string): Promise<DeadLetterRecord | null> {
    const value = await this.redis.get<unknown>(this.recordKey(id));
    return value === null ? null : toRecord(value, this.recordKey(id));
  }

  /** Replaces an existing record, keeping its TTL; moves its index entries if failedAt or jobName changed. */
  async update(record: DeadLetterRecord): Promise<void> {
    const current = await this.get(record.id);
    if (!current) return;
    const [before, after] = [this.member(current), this.member(record)];
    const tx = this.redis.multi().set(this.recordKey(record.id), record, { xx: true, keepTtl: true });
    if (before !== after || current.jobName !== record.jobName) {
      tx.zrem(this.globalIndex(), before).zrem(this.jobIndex(current.jobName), before);
      tx.zadd(this.globalIndex(), { score: 0, member: after }).zadd(this.jobIndex(record.jobName), { score: 0, member: after });
    }
    await tx.exec();
  }

  /** Deletes the record and its index entries. Resolves true when it existed. */
  async delete(id: string): Promise<boolean> {
    const current = await this.get(id);
    if (!current) return false;
    const member = this.member(current);
    const [deleted] = await this.redis
      .multi()
      .del(this.recordKey(id))
      .zrem(this.globalIndex(), member)
      .zrem(this.jobIndex(current.jobName), member)
      .exec();
    return deleted === 1;
  }

  private recordKey(id: string): string {
    if (typeof id !== 'string' || id.length === 0 || id.startsWith('~')) {
      throw new DeadLetterStoreError(`Invalid dead-letter id ${JSON.stringify(id)}: a non-empty string not starting with "~".`);
    }
    return `${this.prefix}${id}`;
  }

  private globalIndex(): string {
    return `${this.prefix}~index`;
  }

  private jobIndex(jobName: string): string {
    return `${this.prefix}~index:${jobName}`;
  }

  private member(record: DeadLetterRecord): string {
    const ms = Date.parse(record.failedAt);
    if (!Number.isFinite(ms) || ms < 0) {
      throw new DeadLetterStoreError(`Dead letter ${record.id} has an invalid failedAt ${JSON.stringify(record.failedAt)} (ISO-8601 expected).`);
    }
    return `${pad(ms)}:${record.id}`;
  }
}

function pad(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, '0');
}

function idOf(member: string): string {
  const match = MEMBER.exec(member);
  if (!match) throw new DeadLetterStoreError(`Unexpected dead-letter index entry ${JSON.stringify(member)}.`);
  return match[2];
}

function encodeCursor(member: string): string {
  return Buffer.from(member, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const member = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!MEMBER.test(member)) throw new DeadLetterStoreError(`Invalid dead-letter cursor ${JSON.stringify(cursor)}.`);
  return member;
}

function toRecord(value: unknown, where: string): DeadLetterRecord {
  const parsed = parseStoredJson(value);
  if (typeof parsed === 'object' && parsed !== null) {
    const { id, jobName, failedAt } = parsed as Record<string, unknown>;
    if (typeof id === 'string' && typeof jobName === 'string' && typeof failedAt === 'string') return parsed as DeadLetterRecord;
  }
  throw new DeadLetterStoreError(`The value at ${where} is not a dead-letter record.`);
}
