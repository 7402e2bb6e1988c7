import { Injectable, NotFoundException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { InjectDeadLetterStore, InjectResolvedOptions, JOB_QUEUE } from '../cloud-tasks.tokens.js';
import type { EnqueuedJob } from '../interfaces/enqueue.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import type { JobQueueService } from '../queue/job-queue.service.js';
import { redact } from '../utils/redact.js';
import type { DeadLetterListOptions, DeadLetterRecord, DeadLetterStore, DeadLetterView, DeadLetterViewPage } from './dead-letter-store.interface.js';

/** What the endpoint knows about a job when it dies. */
export interface DeadJobInput {
  jobName: string;
  queue: string;
  taskName: string;
  idempotencyKey: string;
  payload: unknown;
  error: string;
  reason: DeadLetterRecord['reason'];
  attempts: number;
  maxAttempts?: number;
  /** Who enqueued the job, when the envelope named it. */
  actor?: string;
}

/**
 * Jobs that will not be retried any more: recorded by the job endpoint, operated through this service
 * (or `npm run dead-letters -- list|show ID|retry ID|discard ID`).
 */
@Injectable()
export class DeadLetterService {
  constructor(
    @InjectDeadLetterStore() private readonly store: DeadLetterStore,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * The queue service, looked up on first retry: it sends through the transports, whose pipeline records dead
   * letters here, so a constructor dependency would be a cycle.
   */
  private get queue(): JobQueueService {
    return (this.queueService ??= this.moduleRef.get<JobQueueService>(JOB_QUEUE));
  }

  private queueService?: JobQueueService;

  /** Records a dead job (payload kept for retry, shown redacted). */
  async record(input: DeadJobInput): Promise<DeadLetterRecord> {
    const record = this.create(input);
    await this.store.save(record);
    return record;
  }

  /** The record of a dead job, not yet saved (so its id is known before the store answers). */
  create(input: DeadJobInput): DeadLetterRecord {
    const record: DeadLetterRecord = {
      id: randomUUID(),
      jobName: input.jobName,
      queue: input.queue,
      taskName: input.taskName,
      idempotencyKey: input.idempotencyKey,
      data: redact(input.payload, this.options.redactKeys),
      payload: input.payload,
      error: input.error,
      reason: input.reason,
      attempts: input.attempts,
      failedAt: new Date().toISOString(),
    };
    if (input.maxAttempts !== undefined) record.maxAttempts = input.maxAttempts;
    if (input.actor !== undefined) record.actor = input.actor;
    return record;
  }

  /** Saves a record made by {@link create}. */
  save(record: DeadLetterRecord): Promise<void> {
    return this.store.save(record);
  }

  /** Newest first; filter by job, page with the returned cursor. Records carry the masked `data`, never the raw payload. */
  async list(options: DeadLetterListOptions = {}): Promise<DeadLetterViewPage> {
    const page = await this.store.list({ limit: 50, ...options });
    return { ...page, items: page.items.map(withoutPayload) };
  }

  /**
   * One record, with the masked `data` only; `{ includePayload: true }` adds the raw payload (what `retry()` sends
   * again), for code that must see it — never for a page or a log.
   */
  get(id: string): Promise<DeadLetterView | null>;
  get(id: string, options: { includePayload: true }): Promise<DeadLetterRecord | null>;
  async get(id: string, options: { includePayload?: boolean } = {}): Promise<DeadLetterView | DeadLetterRecord | null> {
    const record = await this.store.get(id);
    if (!record) return null;
    return options.includePayload ? record : withoutPayload(record);
  }

  /**
   * Re-enqueues the job with its original payload under a fresh idempotency key (the old key is marked done)
   * and notes the retry on the record, which stays until discarded. The job keeps its actor and is not counted
   * against its enqueue limit (an operator's retry).
   * @throws NotFoundException when there is no such record.
   */
  async retry(id: string): Promise<EnqueuedJob> {
    const record = await this.store.get(id);
    if (!record) throw new NotFoundException(`No dead letter ${id}`);
    const job = await this.queue.add(record.jobName, record.payload, {
      idempotencyKey: `${record.idempotencyKey}:retry:${randomUUID()}`,
      ...(record.maxAttempts !== undefined ? { maxAttempts: record.maxAttempts } : {}),
      ...(record.actor !== undefined ? { actor: record.actor } : {}),
      skipRateLimit: true,
    });
    await this.store.update({ ...record, retriedAt: new Date().toISOString(), retriedAs: job.taskName });
    return job;
  }

  /** Deletes the record; resolves false when there was none. */
  discard(id: string): Promise<boolean> {
    return this.store.delete(id);
  }
}

/** A record as shown: everything but the raw payload. */
function withoutPayload(record: DeadLetterRecord): DeadLetterView {
  const { payload: _payload, ...view } = record;
  return view;
}
