import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JOB_OUTCOME_HEADER } from '../cloud-tasks.constants.js';
import { FINAL_ATTEMPT_HANDED_OFF, FINAL_ATTEMPT_INTERRUPTED, FINAL_ATTEMPT_STORE_DOWN } from '../cloud-tasks.messages.js';
import { InjectIdempotencyStore, InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { deadJobOf } from '../delivery/dead-job.js';
import type { JobDelivery } from '../delivery/job-delivery.js';
import { deliveryEvent, Outcomes, type JobOutcome } from '../delivery/job-outcome.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { TimeScale } from '../time/time-scale.js';
import { ClaimRenewer } from './claim-renewer.js';
import type { DoneRecord, IdempotencyRecord, IdempotencyStore } from './idempotency-store.interface.js';
import { StoreOutbox } from './store-outbox.js';
import { JobTelemetry } from '../telemetry/job-telemetry.js';

/** What the claim step decided for a delivery. */
export type JobClaim =
  /**
   * Run it. `owner` is this delivery's id in the store; `held` when the store confirmed the claim (false: the store
   * did not answer and failMode is open; the owner id is kept, in case the claim landed before its reply was lost).
   * No key: the delivery has no readable envelope.
   */
  | { run: true; key?: string; owner?: string; held?: boolean; stopRenewing?: () => void }
  /** Do not run it: answer `outcome` (duplicate of a done job, busy, store down with failMode closed, handed off). */
  | { run: false; outcome: JobOutcome };

/** Below this, a lease on a fast emulator clock would lapse on a busy machine between two renewals. */
const MIN_REAL_LEASE_MS = 1000;

/**
 * The idempotency protocol around a run, on the {@link IdempotencyStore}:
 *
 * - claim the key with a short lease (`idempotency.leaseSeconds`), renewed while the job runs ({@link ClaimRenewer}),
 *   so a crashed delivery releases its job within one lease; a resent claim of the same delivery wins again;
 * - a claim lost to a done record answers a duplicate; to a running claim, 409 — except on the task's final attempt,
 *   which waits (within its dispatch deadline) for that claim to end or lapse, then runs, or records a dead letter
 *   noted on the claim, which the holder removes if the job completes after all;
 * - after the run, record `done` (owner-checked: a delivery that lost its claim never overwrites another's record) or
 *   release the claim; a write the store did not take is retried in the background ({@link StoreOutbox});
 * - an invalid delivery is never claimed nor marked done: it only looks for a done record (a poisoned key cannot stop
 *   the real job), then the runner dead-letters it.
 */
@Injectable()
export class JobClaims {
  private readonly logger = new Logger('CloudTasks');
  /** Deliveries run without a claim because the store was unreachable (failMode open). */
  unclaimedRuns = 0;
  private readonly store: IdempotencyStore;

  constructor(
    @InjectIdempotencyStore() store: IdempotencyStore,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly events: JobEventBus,
    private readonly renewer: ClaimRenewer,
    private readonly outbox: StoreOutbox,
    private readonly deadLetters: DeadLetterService,
    private readonly time: TimeScale,
    telemetry: JobTelemetry,
  ) {
    this.store = telemetry.instrumentStore(store);
  }

  /** The store key of a delivery (`idempotency.keyOf`, default `{jobName}:{idempotencyKey}`); none without an envelope. */
  keyOf(delivery: JobDelivery): string | undefined {
    const envelope = delivery.get('parsed').envelope;
    if (!envelope) return undefined;
    return this.options.idempotency.keyOf?.(envelope) ?? `${envelope.jobName}:${envelope.idempotencyKey}`;
  }

  async claim(delivery: JobDelivery): Promise<JobClaim> {
    const parsed = delivery.get('parsed');
    const key = this.keyOf(delivery);
    if (key === undefined) return { run: true };
    if (!parsed.valid) return this.invalid(delivery, key);
    const owner = randomUUID();
    const leaseMs = this.leaseMs();
    const deadlineSeconds = parsed.deadlineSeconds;
    const answerBy = delivery.receivedAt + this.time.real(deadlineSeconds * 1000 - Math.min(5000, deadlineSeconds * 100));
    for (;;) {
      let result;
      try {
        result = await this.store.claim(key, owner, leaseMs);
      } catch (error) {
        return this.storeDown(delivery, key, owner, error);
      }
      if (result.claimed) {
        const claim = { run: true as const, key, owner, held: true, stopRenewing: this.renewer.hold(key, owner, leaseMs, delivery) };
        // NOTE: a final attempt that dies while it runs gets no retry: a provisional dead letter, removed when it ends.
        if (parsed.attempt.isFinal) await this.provisionalDeadLetter(delivery, key);
        return claim;
      }
      if (result.record?.state === 'done') return { run: false, outcome: this.duplicate(delivery, key, result.record) };
      if (result.record === null) continue;
      if (!parsed.attempt.isFinal) return { run: false, outcome: this.busy(delivery, key) };
      // NOTE: the final attempt must not end the task's life with a 409: wait for the other claim to end or lapse.
      const pollMs = Math.max(20, leaseMs / 5);
      if (Date.now() + pollMs >= answerBy) return { run: false, outcome: await this.handOff(delivery, key, result.record) };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Whether the delivery may still record its job's end (a dead letter): true while it holds its claim (confirmed by
   * renewing it), or when it never had one. A delivery whose claim was lost to another must leave the job to it.
   */
  async stillHolds(delivery: JobDelivery, claim: JobClaim | undefined): Promise<boolean> {
    if (!claim?.run || !claim.held || claim.key === undefined || claim.owner === undefined) return true;
    try {
      if (await this.store.renew(claim.key, claim.owner, this.leaseMs())) return true;
    } catch {
      // NOTE: the store not answering is no proof the claim was lost: record the end rather than risk losing the job.
      return true;
    }
    const { handler, taskName } = delivery.get('route');
    this.logger.warn({ msg: 'a delivery lost its claim before its job ended: it leaves the job to the delivery that holds it', jobName: handler.jobName, taskName, key: claim.key });
    return false;
  }

  /** After the run: record done (success or dead) or release the claim. Stops the claim's renewals. */
  async settle(delivery: JobDelivery, claim: JobClaim, outcome: JobOutcome): Promise<void> {
    if (!claim.run || claim.key === undefined) return;
    claim.stopRenewing?.();
    const { key } = claim;
    // NOTE: a run without a readable owner writes only on a free key: an owner nobody else can hold.
    const owner = claim.owner ?? `unclaimed:${randomUUID()}`;
    if (outcome.kind === 'success' || outcome.kind === 'dead') {
      const record: DoneRecord = outcome.kind === 'success' ? this.doneRecord(outcome.result) : { state: 'done', dead: true, error: outcome.error, at: Date.now() };
      await this.durably(delivery, `done record of ${key}`, () => this.recordDone(delivery, key, owner, record));
    } else if (claim.owner) {
      await this.durably(delivery, `release of ${key}`, () => this.release(delivery, key, owner, outcome));
    }
  }

  /**
   * The lease of a claim in real milliseconds: on the emulator's clock when it runs faster, but never under a second of
   * real time (renewals must outrun a busy event loop).
   */
  protected leaseMs(): number {
    return Math.max(MIN_REAL_LEASE_MS, this.time.real(this.options.idempotency.leaseSeconds * 1000));
  }

  /**
   * Records a dead letter for a final attempt before it runs and notes it on the claim: if the process dies while the job
   * runs, no retry follows and the letter stands; when the attempt ends, the owner-checked done write removes it (the
   * runner records its own letter for a failure).
   */
  private async provisionalDeadLetter(delivery: JobDelivery, key: string): Promise<void> {
    const letter = this.deadLetters.create(deadJobOf(delivery, FINAL_ATTEMPT_INTERRUPTED, 'exhausted'));
    try {
      await this.deadLetters.save(letter);
      await this.store.markDeadLettered(key, letter.id);
    } catch (error) {
      this.logger.warn({ msg: 'could not record the provisional dead letter of a final attempt; running it without', key, error: (error as Error).message });
    }
  }

  private async recordDone(delivery: JobDelivery, key: string, owner: string, record: DoneRecord): Promise<void> {
    const { written, previous } = await this.store.complete(key, owner, record, this.options.idempotency.ttlSeconds);
    if (!written) {
      const route = delivery.get('route');
      this.logger.warn({ msg: 'a delivery finished after it lost its claim: its outcome is not recorded', jobName: route.handler.jobName, taskName: route.taskName, key, found: previous?.state ?? 'nothing', outcome: record.dead ? 'dead' : 'success' });
      return;
    }
    if (previous?.state === 'processing' && previous.deadLetterId) {
      // NOTE: a letter noted on the claim (a final attempt's provisional one, or one a final attempt recorded when it gave
      // up waiting for this delivery) is no longer true: the job ended here, and a failure has its own letter.
      await this.deadLetters.discard(previous.deadLetterId);
      this.logger.log({ msg: 'the job ended: the dead letter noted on its claim is removed', key, deadLetterId: previous.deadLetterId, outcome: record.dead ? 'dead' : 'success' });
    }
  }

  private async release(delivery: JobDelivery, key: string, owner: string, outcome: JobOutcome): Promise<void> {
    const { written, previous } = await this.store.release(key, owner);
    if (!written || previous?.state !== 'processing' || !previous.deadLetterId) return;
    // NOTE: the task's final delivery handed this run the job: no retry follows, so the job is dead (its letter exists).
    await this.store.complete(key, owner, { state: 'done', dead: true, error: outcome.error, at: Date.now() }, this.options.idempotency.ttlSeconds);
    this.events.emit(deliveryEvent(delivery, 'dead', { idempotencyKey: key, error: outcome.error }));
  }

  /** Runs a store write now; when the store does not answer, again in the background until it does. */
  private async durably(delivery: JobDelivery, what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      const route = delivery.get('route');
      this.logger.error({ msg: 'could not record the job outcome in the idempotency store; retrying in the background', jobName: route.handler.jobName, taskName: route.taskName, what, error: (error as Error).message });
      this.outbox.defer(what, write);
    }
  }

  /** An invalid delivery: answered as a duplicate if its job already ended, else dead-lettered by the runner. */
  private async invalid(delivery: JobDelivery, key: string): Promise<JobClaim> {
    try {
      const record = await this.store.get(key);
      if (record?.state === 'done') return { run: false, outcome: this.duplicate(delivery, key, record) };
    } catch {
      // NOTE: the store being down does not make the delivery any less invalid: it is dead-lettered all the same.
    }
    return { run: true };
  }

  private duplicate(delivery: JobDelivery, key: string, record: DoneRecord): JobOutcome {
    this.events.emit(deliveryEvent(delivery, 'duplicate', { idempotencyKey: key }));
    if (record.dead) {
      return { kind: 'duplicate', status: 202, headers: { [JOB_OUTCOME_HEADER]: 'dead' }, body: { success: false, duplicate: true, dead: true, error: record.error ?? 'dead' } };
    }
    return { kind: 'duplicate', status: 200, body: { success: true, duplicate: true, result: record.result ?? null, ...(record.resultOmitted ? { resultOmitted: true } : {}) } };
  }

  private busy(delivery: JobDelivery, key: string): JobOutcome {
    const error = `Job "${delivery.get('route').handler.jobName}" with this idempotency key is being processed by another delivery; retry later.`;
    this.events.emit(deliveryEvent(delivery, 'retrying', { idempotencyKey: key, error }));
    return Outcomes.busy(error);
  }

  /**
   * The final attempt waited its whole dispatch deadline for another delivery's claim: records a dead letter and notes
   * it on that claim, so its holder removes the letter if the job completes, and records the job dead if it fails.
   */
  private async handOff(delivery: JobDelivery, key: string, holder: IdempotencyRecord): Promise<JobOutcome> {
    const error = FINAL_ATTEMPT_HANDED_OFF(Math.round((Date.now() - holder.at) / 1000));
    const letter = this.deadLetters.create(deadJobOf(delivery, error, 'exhausted'));
    await this.saveDeadLetter(delivery, letter.id, () => this.deadLetters.save(letter));
    try {
      const now = await this.store.markDeadLettered(key, letter.id);
      if (now?.state === 'done') {
        await this.deadLetters.discard(letter.id);
        return this.duplicate(delivery, key, now);
      }
    } catch (storeError) {
      this.logger.warn({ msg: 'could not note the dead letter on the running claim; it stays even if that run completes', key, deadLetterId: letter.id, error: (storeError as Error).message });
    }
    this.events.emit(deliveryEvent(delivery, 'dead', { idempotencyKey: key, error }));
    return Outcomes.deadPermanent(error);
  }

  /** Store unreachable: failMode open runs the job without a claim; closed answers 503 (dead-lettered on the final attempt). */
  private async storeDown(delivery: JobDelivery, key: string, owner: string, error: unknown): Promise<JobClaim> {
    const reason = (error as Error)?.message ?? String(error);
    const { handler, taskName } = delivery.get('route');
    if (this.options.idempotency.failMode === 'closed') {
      this.logger.warn({ msg: 'idempotency store unreachable, answering 503 (failMode closed)', jobName: handler.jobName, taskName, error: reason });
      const message = 'Idempotency store unreachable; retry later.';
      if (delivery.get('parsed').attempt.isFinal) {
        // NOTE: Cloud Tasks gives up after this answer: the job must leave a dead letter, even if it has to wait for the store.
        const letter = this.deadLetters.create(deadJobOf(delivery, FINAL_ATTEMPT_STORE_DOWN, 'exhausted'));
        await this.saveDeadLetter(delivery, letter.id, () => this.deadLetters.save(letter));
        this.events.emit(deliveryEvent(delivery, 'dead', { idempotencyKey: key, error: FINAL_ATTEMPT_STORE_DOWN }));
      } else {
        this.events.emit(deliveryEvent(delivery, 'retrying', { idempotencyKey: key, error: message }));
      }
      return { run: false, outcome: Outcomes.unavailable(message) };
    }
    this.unclaimedRuns++;
    this.logger.warn({ msg: 'idempotency store unreachable, running without a claim (failMode open)', jobName: handler.jobName, taskName, error: reason, unclaimedRuns: this.unclaimedRuns });
    // NOTE: the claim may have landed with its reply lost: keeping its owner lets the done write take that record.
    return { run: true, key, owner, held: false };
  }

  private async saveDeadLetter(delivery: JobDelivery, id: string, save: () => Promise<void>): Promise<void> {
    try {
      await save();
    } catch (error) {
      this.logger.error({ msg: 'could not record a dead letter; retrying in the background', jobName: delivery.get('route').handler.jobName, deadLetterId: id, error: (error as Error).message });
      this.outbox.defer(`dead letter ${id}`, save);
    }
  }

  private doneRecord(result: unknown): DoneRecord {
    const size = Buffer.byteLength(JSON.stringify(result ?? null));
    return size > this.options.idempotency.maxResultBytes
      ? { state: 'done', resultOmitted: true, at: Date.now() }
      : { state: 'done', result: result ?? null, at: Date.now() };
  }
}
