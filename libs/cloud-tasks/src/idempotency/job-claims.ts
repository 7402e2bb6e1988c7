import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JOB_OUTCOME_HEADER } from '../cloud-tasks.constants.js';
import { FINAL_ATTEMPT_HANDED_OFF, FINAL_ATTEMPT_STORE_DOWN } from '../cloud-tasks.messages.js';
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

/** What the claim step decided for a delivery. */
export type JobClaim =
  /** Run it. `owner` holds the claim (absent: the store was down with failMode open, or the delivery is invalid). */
  | { run: true; key?: string; owner?: string; stopRenewing?: () => void }
  /** Do not run it: answer `outcome` (duplicate of a done job, busy, store down with failMode closed, handed off). */
  | { run: false; outcome: JobOutcome };

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

  constructor(
    @InjectIdempotencyStore() private readonly store: IdempotencyStore,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly events: JobEventBus,
    private readonly renewer: ClaimRenewer,
    private readonly outbox: StoreOutbox,
    private readonly deadLetters: DeadLetterService,
    private readonly time: TimeScale,
  ) {}

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
        return this.storeDown(delivery, key, error);
      }
      if (result.claimed) return { run: true, key, owner, stopRenewing: this.renewer.hold(key, owner, leaseMs, delivery) };
      if (result.record?.state === 'done') return { run: false, outcome: this.duplicate(delivery, key, result.record) };
      if (result.record === null) continue;
      if (!parsed.attempt.isFinal) return { run: false, outcome: this.busy(delivery, key) };
      // NOTE: the final attempt must not end the task's life with a 409: wait for the other claim to end or lapse.
      const pollMs = Math.max(20, leaseMs / 5);
      if (Date.now() + pollMs >= answerBy) return { run: false, outcome: await this.handOff(delivery, key, result.record) };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** After the run: record done (success or dead) or release the claim. Stops the claim's renewals. */
  async settle(delivery: JobDelivery, claim: JobClaim, outcome: JobOutcome): Promise<void> {
    if (!claim.run || claim.key === undefined) return;
    claim.stopRenewing?.();
    const { key } = claim;
    // NOTE: a run without a claim writes only on a free key: an owner nobody else can hold.
    const owner = claim.owner ?? `unclaimed:${randomUUID()}`;
    if (outcome.kind === 'success' || outcome.kind === 'dead') {
      const record: DoneRecord = outcome.kind === 'success' ? this.doneRecord(outcome.result) : { state: 'done', dead: true, error: outcome.error, at: Date.now() };
      await this.durably(delivery, `done record of ${key}`, () => this.recordDone(delivery, key, owner, record));
    } else if (claim.owner) {
      await this.durably(delivery, `release of ${key}`, () => this.release(delivery, key, owner, outcome));
    }
  }

  /** The lease of a claim in real milliseconds (on the emulator's clock when it runs faster). */
  protected leaseMs(): number {
    return this.time.real(this.options.idempotency.leaseSeconds * 1000);
  }

  private async recordDone(delivery: JobDelivery, key: string, owner: string, record: DoneRecord): Promise<void> {
    const { written, previous } = await this.store.complete(key, owner, record, this.options.idempotency.ttlSeconds);
    if (!written) {
      const route = delivery.get('route');
      this.logger.warn({ msg: 'a delivery finished after it lost its claim: its outcome is not recorded', jobName: route.handler.jobName, taskName: route.taskName, key, found: previous?.state ?? 'nothing', outcome: record.dead ? 'dead' : 'success' });
      return;
    }
    if (previous?.state === 'processing' && previous.deadLetterId) {
      // NOTE: the task's final delivery gave up waiting and recorded a dead letter; the job ended here after all.
      await this.deadLetters.discard(previous.deadLetterId);
      this.logger.log({ msg: 'job finished after its final delivery handed it over: that dead letter is removed', key, deadLetterId: previous.deadLetterId, outcome: record.dead ? 'dead' : 'success' });
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
  private async storeDown(delivery: JobDelivery, key: string, error: unknown): Promise<JobClaim> {
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
    return { run: true, key };
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
