import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { concatMap, from, of, type Observable } from 'rxjs';
import { JOB_OUTCOME_HEADER, LEASE_MARGIN_MS } from '../cloud-tasks.constants.js';
import { InjectIdempotencyStore, InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { JobEventBus } from '../events/job-event-bus.js';
import { deliveryEvent, JOB_DELIVERY, writeOutcome, type JobDelivery, type JobOutcome, type JobRequest, type JobResponse } from '../http/job-delivery.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import type { DoneRecord, IdempotencyRecord, IdempotencyStore } from './idempotency-store.interface.js';

/**
 * Makes a job's effect happen once under at-least-once delivery (DESIGN §5):
 * claim the key atomically (`SET NX PX lease`), run, then record `done` with the result in one write; a retryable
 * failure releases the claim (compare-and-delete) so the retry can run; a crash leaves the lease to expire.
 * A lost claim answers 200 duplicate (done) or 409 (another delivery is running it).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('CloudTasks');
  /** Deliveries run without a claim because the store was unreachable (failMode open). */
  unclaimedRuns = 0;

  constructor(
    @InjectIdempotencyStore() protected readonly store: IdempotencyStore,
    @InjectResolvedOptions() protected readonly options: ResolvedCloudTasksOptions,
    protected readonly events: JobEventBus,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<JobRequest>();
    const delivery = request[JOB_DELIVERY];
    // NOTE: an invalid delivery with a readable key is claimed too: a job that already ended (done or dead) must not be
    // dead-lettered again when Cloud Tasks redelivers it past a per-job maxAttempts below the queue's.
    if (!delivery?.envelope) return next.handle();
    return from(this.claim(delivery)).pipe(
      concatMap((early) => {
        if (early) {
          delivery.outcome = early;
          writeOutcome(http.getResponse<JobResponse>(), early);
          return of(early.body);
        }
        return next.handle().pipe(concatMap((body) => from(this.settle(delivery).then(() => body))));
      }),
    );
  }

  /** The key a delivery is deduplicated on. Override to derive it differently. */
  protected keyOf(delivery: JobDelivery): string {
    return delivery.envelope!.idempotencyKey;
  }

  /**
   * How long a claim holds the key before a crashed delivery's job may run again: the dispatch deadline plus
   * `LEASE_MARGIN_MS`, so a slow-but-alive delivery keeps its claim. Override to change the margin (tests use a short lease).
   */
  protected leaseMs(delivery: JobDelivery): number {
    return delivery.deadlineSeconds * 1000 + LEASE_MARGIN_MS;
  }

  /** Claims the key; resolves an early answer when this delivery must not run. */
  protected async claim(delivery: JobDelivery): Promise<JobOutcome | undefined> {
    const owner = randomUUID();
    let claim;
    try {
      claim = await this.store.claim(this.keyOf(delivery), owner, this.leaseMs(delivery));
    } catch (error) {
      return this.storeDown(delivery, error);
    }
    if (claim.claimed) {
      delivery.claimOwner = owner;
      return undefined;
    }
    return this.lost(delivery, claim.record);
  }

  /** Answer for a delivery whose claim was lost to `record`. */
  protected lost(delivery: JobDelivery, record: IdempotencyRecord | null): JobOutcome {
    const key = { idempotencyKey: this.keyOf(delivery) };
    if (record?.state === 'done') {
      this.events.emit(deliveryEvent(delivery, 'duplicate', key));
      if (record.dead) {
        return { kind: 'duplicate', status: 202, headers: { [JOB_OUTCOME_HEADER]: 'dead' }, body: { success: false, duplicate: true, dead: true, error: record.error ?? 'dead' } };
      }
      return { kind: 'duplicate', status: 200, body: { success: true, duplicate: true, result: record.result ?? null, ...(record.resultOmitted ? { resultOmitted: true } : {}) } };
    }
    const error = `Job "${delivery.handler.jobName}" with this idempotency key is being processed by another delivery; retry later.`;
    this.events.emit(deliveryEvent(delivery, 'retrying', { ...key, error }));
    return { kind: 'busy', status: 409, body: { error, retryable: true }, error };
  }

  /** Store unreachable: failMode open runs the job without a claim; closed answers 503 so Cloud Tasks retries. */
  protected storeDown(delivery: JobDelivery, error: unknown): JobOutcome | undefined {
    const reason = (error as Error)?.message ?? String(error);
    if (this.options.idempotency.failMode === 'closed') {
      this.logger.warn({ msg: 'idempotency store unreachable, answering 503 (failMode closed)', jobName: delivery.handler.jobName, taskName: delivery.taskName, error: reason });
      const message = 'Idempotency store unreachable; retry later.';
      this.events.emit(deliveryEvent(delivery, 'retrying', { idempotencyKey: this.keyOf(delivery), error: message }));
      return { kind: 'unavailable', status: 503, body: { error: message, retryable: true }, error: message };
    }
    this.unclaimedRuns++;
    this.logger.warn({ msg: 'idempotency store unreachable, running without a claim (failMode open)', jobName: delivery.handler.jobName, taskName: delivery.taskName, error: reason, unclaimedRuns: this.unclaimedRuns });
    return undefined;
  }

  /** After the processor: record done (success or dead) or release the claim (retry). */
  protected async settle(delivery: JobDelivery): Promise<void> {
    const outcome = delivery.outcome;
    if (!delivery.claimOwner || !outcome) return;
    const key = this.keyOf(delivery);
    try {
      if (outcome.kind === 'success') await this.store.complete(key, this.doneRecord(outcome.result), this.options.idempotency.ttlSeconds);
      else if (outcome.kind === 'dead') await this.store.complete(key, { state: 'done', dead: true, error: outcome.error, at: Date.now() }, this.options.idempotency.ttlSeconds);
      else await this.store.release(key, delivery.claimOwner);
    } catch (error) {
      this.logger.error({ msg: 'could not record the job outcome in the idempotency store', jobName: delivery.handler.jobName, taskName: delivery.taskName, outcome: outcome.kind, error: (error as Error).message });
    }
  }

  private doneRecord(result: unknown): DoneRecord {
    const size = Buffer.byteLength(JSON.stringify(result ?? null));
    return size > this.options.idempotency.maxResultBytes
      ? { state: 'done', resultOmitted: true, at: Date.now() }
      : { state: 'done', result: result ?? null, at: Date.now() };
  }
}
