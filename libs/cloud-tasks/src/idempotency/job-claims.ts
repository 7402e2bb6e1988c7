import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JOB_OUTCOME_HEADER, LEASE_MARGIN_MS } from '../cloud-tasks.constants.js';
import { InjectIdempotencyStore, InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { JobDelivery } from '../delivery/job-delivery.js';
import { deliveryEvent, Outcomes, type JobOutcome } from '../delivery/job-outcome.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import type { DoneRecord, IdempotencyRecord, IdempotencyStore } from './idempotency-store.interface.js';

/** What the claim step decided for a delivery. */
export type JobClaim =
  /** Run it; `owner` holds the claim (absent when the store was down and failMode is open: run unclaimed). */
  | { run: true; key?: string; owner?: string }
  /** Do not run it: answer `outcome` (duplicate of a done job, or busy, or store down with failMode closed). */
  | { run: false; outcome: JobOutcome };

/**
 * The idempotency protocol around a run: claim the key atomically (`SET NX PX lease`), then after the run record
 * `done` with the result in one write, or release the claim (compare-and-delete) so a retry can run; a crash leaves
 * the lease to expire. A lost claim answers 200 duplicate (done) or 409 (another delivery is running it).
 */
@Injectable()
export class JobClaims {
  private readonly logger = new Logger('CloudTasks');
  /** Deliveries run without a claim because the store was unreachable (failMode open). */
  unclaimedRuns = 0;

  constructor(
    @InjectIdempotencyStore() private readonly store: IdempotencyStore,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly events: JobEventBus,
  ) {}

  /** The store key of a delivery (`idempotency.keyOf`, or the envelope's key); undefined when it has no envelope. */
  keyOf(delivery: JobDelivery): string | undefined {
    const parsed = delivery.get('parsed');
    if (!parsed.envelope) return undefined;
    return this.options.idempotency.keyOf?.(parsed.envelope) ?? parsed.envelope.idempotencyKey;
  }

  /**
   * Claims the delivery's key. An invalid delivery with a readable key is claimed too: a job that already ended (done
   * or dead) must not be dead-lettered again when Cloud Tasks redelivers it past a per-job cap below the queue's.
   */
  async claim(delivery: JobDelivery): Promise<JobClaim> {
    const key = this.keyOf(delivery);
    if (key === undefined) return { run: true };
    const owner = randomUUID();
    let claim;
    try {
      claim = await this.store.claim(key, owner, this.leaseMs(delivery));
    } catch (error) {
      return this.storeDown(delivery, key, error);
    }
    if (claim.claimed) return { run: true, key, owner };
    return { run: false, outcome: this.lost(delivery, key, claim.record) };
  }

  /** After the run: record done (success or dead) or release the claim (anything else). */
  async settle(delivery: JobDelivery, claim: JobClaim, outcome: JobOutcome): Promise<void> {
    if (!claim.run || !claim.owner || !claim.key) return;
    const { key, owner } = claim;
    const ttl = this.options.idempotency.ttlSeconds;
    try {
      if (outcome.kind === 'success') await this.store.complete(key, this.doneRecord(outcome.result), ttl);
      else if (outcome.kind === 'dead') await this.store.complete(key, { state: 'done', dead: true, error: outcome.error, at: Date.now() }, ttl);
      else await this.store.release(key, owner);
    } catch (error) {
      const route = delivery.get('route');
      this.logger.error({ msg: 'could not record the job outcome in the idempotency store', jobName: route.handler.jobName, taskName: route.taskName, outcome: outcome.kind, error: (error as Error).message });
    }
  }

  /** How long a claim holds the key before a crashed delivery's job may run again: the dispatch deadline plus a margin. */
  protected leaseMs(delivery: JobDelivery): number {
    return delivery.get('parsed').deadlineSeconds * 1000 + LEASE_MARGIN_MS;
  }

  private lost(delivery: JobDelivery, key: string, record: IdempotencyRecord | null): JobOutcome {
    const idempotencyKey = { idempotencyKey: key };
    if (record?.state === 'done') {
      this.events.emit(deliveryEvent(delivery, 'duplicate', idempotencyKey));
      if (record.dead) {
        return { kind: 'duplicate', status: 202, headers: { [JOB_OUTCOME_HEADER]: 'dead' }, body: { success: false, duplicate: true, dead: true, error: record.error ?? 'dead' } };
      }
      return { kind: 'duplicate', status: 200, body: { success: true, duplicate: true, result: record.result ?? null, ...(record.resultOmitted ? { resultOmitted: true } : {}) } };
    }
    const error = `Job "${delivery.get('route').handler.jobName}" with this idempotency key is being processed by another delivery; retry later.`;
    this.events.emit(deliveryEvent(delivery, 'retrying', { ...idempotencyKey, error }));
    return Outcomes.busy(error);
  }

  /** Store unreachable: failMode open runs the job without a claim; closed answers 503 so Cloud Tasks retries. */
  private storeDown(delivery: JobDelivery, key: string, error: unknown): JobClaim {
    const reason = (error as Error)?.message ?? String(error);
    const { handler, taskName } = delivery.get('route');
    if (this.options.idempotency.failMode === 'closed') {
      this.logger.warn({ msg: 'idempotency store unreachable, answering 503 (failMode closed)', jobName: handler.jobName, taskName, error: reason });
      const message = 'Idempotency store unreachable; retry later.';
      this.events.emit(deliveryEvent(delivery, 'retrying', { idempotencyKey: key, error: message }));
      return { run: false, outcome: Outcomes.unavailable(message) };
    }
    this.unclaimedRuns++;
    this.logger.warn({ msg: 'idempotency store unreachable, running without a claim (failMode open)', jobName: handler.jobName, taskName, error: reason, unclaimedRuns: this.unclaimedRuns });
    return { run: true, key };
  }

  private doneRecord(result: unknown): DoneRecord {
    const size = Buffer.byteLength(JSON.stringify(result ?? null));
    return size > this.options.idempotency.maxResultBytes
      ? { state: 'done', resultOmitted: true, at: Date.now() }
      : { state: 'done', result: result ?? null, at: Date.now() };
  }
}
