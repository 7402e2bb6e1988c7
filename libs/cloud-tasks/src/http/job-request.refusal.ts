import { HttpException } from '@nestjs/common';

/** A refusal of the job endpoint before the job runs (4xx/5xx), with headers to send beside `{ error }`. */
export class JobRequestRefusal extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }
}
