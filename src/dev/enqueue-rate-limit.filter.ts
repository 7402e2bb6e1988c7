import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { EnqueueRateLimitError } from '@nest-cloud-tasks/core';

/**
 * Answers an add refused by its enqueue limit as HTTP does: 429 with `Retry-After` (seconds) and the error, through
 * the adapter (Express or Fastify).
 */
@Catch(EnqueueRateLimitError)
export class EnqueueRateLimitFilter implements ExceptionFilter<EnqueueRateLimitError> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: EnqueueRateLimitError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    httpAdapter.setHeader(response, 'Retry-After', String(error.retryAfter));
    httpAdapter.reply(response, { statusCode: 429, error: 'Too Many Requests', message: error.message, jobName: error.jobName, retryAfter: error.retryAfter }, 429);
  }
}
