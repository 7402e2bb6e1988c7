import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { deliveryOf } from './adapters/job-http.adapter.js';
import { JobHttpAdapterHost } from './adapters/job-http-adapter.host.js';
import { JobRequestRefusal } from './job-request.refusal.js';

/**
 * Answers every refusal of the job endpoint as `{ error, retryable }` through the HTTP adapter (Cloud Tasks retries
 * every non-2xx, so `retryable` is true for all of them), and turns unexpected exceptions into 500 so that the task
 * is retried, never dropped.
 */
@Catch()
export class JobExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CloudTasks');

  constructor(private readonly http: JobHttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const delivery = deliveryOf(http.getRequest());
    delivery?.finish();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      const headers = exception instanceof JobRequestRefusal ? exception.headers : undefined;
      const error = Array.isArray(message) ? message.join('; ') : String(message);
      this.http.send(http.getResponse(), { status, headers, body: { error, retryable: status >= 300 } }, delivery);
      return;
    }
    this.logger.error({ msg: 'unexpected error in the job endpoint', error: (exception as Error)?.message ?? String(exception) });
    this.http.send(http.getResponse(), { status: 500, body: { error: 'Internal error in the job endpoint; Cloud Tasks will retry.', retryable: true } }, delivery);
  }
}
