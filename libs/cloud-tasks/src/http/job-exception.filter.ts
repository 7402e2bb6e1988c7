import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { JobResponse } from './job-delivery.js';

interface JsonResponse extends JobResponse {
  json(body: unknown): unknown;
  headersSent?: boolean;
}

/**
 * Shapes every refusal of the job endpoint as `{ error }` (plus `retryable: true` for statuses Cloud Tasks retries,
 * which is all of them), and turns unexpected exceptions into 500 so that the task is retried, never dropped.
 */
@Catch()
export class JobExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CloudTasks');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (response.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      response.status(status);
      response.json({ error: Array.isArray(message) ? message.join('; ') : String(message), retryable: status >= 300 });
      return;
    }
    this.logger.error({ msg: 'unexpected error in the job endpoint', error: (exception as Error)?.message ?? String(exception) });
    response.status(500);
    response.json({ error: 'Internal error in the job endpoint; Cloud Tasks will retry.', retryable: true });
  }
}
