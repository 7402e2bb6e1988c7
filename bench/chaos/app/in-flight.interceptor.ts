import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { ChaosWorkload } from './chaos.workload.js';
import { ChaosStatsController } from './chaos-stats.controller.js';

/**
 * Counts job requests from the first interceptor to the end of the last one (the idempotency record included), so the
 * harness knows when an instance is idle even after Cloud Tasks stopped waiting for an answer.
 */
@Injectable()
export class InFlightInterceptor implements NestInterceptor {
  constructor(private readonly workload: ChaosWorkload) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getClass() === ChaosStatsController) return next.handle();
    this.workload.inFlight++;
    return next.handle().pipe(finalize(() => this.workload.inFlight--));
  }
}
