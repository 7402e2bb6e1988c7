import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { JobDelivery } from '../delivery/job-delivery.js';
import { Outcomes, type JobOutcome } from '../delivery/job-outcome.js';
import { deliveryOf } from '../http/adapters/job-http.adapter.js';
import { JobHttpAdapterHost } from '../http/adapters/job-http-adapter.host.js';
import { JobClaims, type JobClaim } from './job-claims.js';

/**
 * Makes a job's effect happen once under at-least-once delivery, with {@link JobClaims}: claim the delivery's key,
 * run the job (the controller), record the outcome, then answer Cloud Tasks through the HTTP adapter — in that order,
 * so a duplicate that arrives after the answer finds the job done.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly claims: JobClaims,
    private readonly http: JobHttpAdapterHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<JobOutcome>): Observable<JobOutcome> {
    const http = context.switchToHttp();
    const delivery = deliveryOf(http.getRequest())!;
    return from(this.deliver(delivery, http.getResponse(), next));
  }

  private async deliver(delivery: JobDelivery, response: unknown, next: CallHandler<JobOutcome>): Promise<JobOutcome> {
    const claim = await this.claims.claim(delivery);
    const outcome = claim.run ? await this.run(delivery, claim, next) : claim.outcome;
    this.http.send(response, outcome, delivery);
    delivery.finish();
    return outcome;
  }

  private async run(delivery: JobDelivery, claim: JobClaim, next: CallHandler<JobOutcome>): Promise<JobOutcome> {
    let outcome: JobOutcome;
    try {
      outcome = await lastValueFrom(next.handle());
    } catch (error) {
      // NOTE: a failure of the endpoint itself (not of the processor) answers 500 through the filter: free the claim.
      await this.claims.settle(delivery, claim, Outcomes.retry('internal error'));
      throw error;
    }
    await this.claims.settle(delivery, claim, outcome);
    return outcome;
  }
}
