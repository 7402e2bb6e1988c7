import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { HttpJobDelivery } from '../delivery/job-delivery.js';
import type { JobOutcome } from '../delivery/job-outcome.js';
import { JobPipeline } from '../delivery/job-pipeline.js';
import { deliveryOf } from '../http/adapters/job-http.adapter.js';
import { JobHttpAdapterHost } from '../http/adapters/job-http-adapter.host.js';
import { ScheduleFires } from '../schedules/schedule-fires.js';

/**
 * Makes a job's effect happen once under at-least-once delivery ({@link JobPipeline.around}, on `JobClaims`): claim
 * the delivery's key, run the job (the controller), record the outcome, then answer Cloud Tasks through the HTTP
 * adapter — in that order, so a duplicate that arrives after the answer finds the job done.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly pipeline: JobPipeline,
    private readonly http: JobHttpAdapterHost,
    private readonly fires: ScheduleFires,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<JobOutcome>): Observable<JobOutcome> {
    const http = context.switchToHttp();
    const delivery = deliveryOf(http.getRequest())!;
    return from(this.deliver(delivery, http.getResponse(), next));
  }

  private async deliver(delivery: HttpJobDelivery, response: unknown, next: CallHandler<JobOutcome>): Promise<JobOutcome> {
    // NOTE: a Cloud Scheduler fire only enqueues a task named after it; that task's delivery is what claims and runs.
    const outcome = delivery.has('fire')
      ? await this.fires.enqueue(delivery.get('fire'), delivery.get('body'))
      : await this.pipeline.around(delivery, () => lastValueFrom(next.handle()));
    this.http.send(response, outcome, delivery);
    delivery.finish();
    return outcome;
  }
}
