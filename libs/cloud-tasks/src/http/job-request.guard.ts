import { Injectable, InternalServerErrorException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { NOT_THROUGH_FRONT_DOOR } from '../cloud-tasks.messages.js';
import { JobEnvelopeParser } from '../envelope/job-envelope.parser.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import { deliveryOf } from './adapters/job-http.adapter.js';
import { JobBodyReader } from './job-body.reader.js';
import { routeOf } from './job-route.js';

/**
 * The job endpoint's request checks, after authentication: route (404 unknown job, 400 wrong queue header), then the
 * body (read by {@link JobBodyReader}, parsed by {@link JobEnvelopeParser}). A bad envelope or payload passes: the
 * delivery is marked invalid and dead-lettered (202) by the runner.
 */
@Injectable()
export class JobRequestGuard implements CanActivate {
  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly reader: JobBodyReader,
    private readonly parser: JobEnvelopeParser,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ params: Record<string, string | undefined>; headers: IncomingHttpHeaders }>();
    const delivery = deliveryOf(request);
    // NOTE: never fall back to a body the framework parsed: its limits and strictness are not the endpoint's.
    if (!delivery) throw new InternalServerErrorException(NOT_THROUGH_FRONT_DOOR);
    const route = routeOf(this.registry, request.params.jobName ?? '', request.headers);
    delivery.set('route', route);
    const body = await this.reader.read(delivery);
    delivery.set('parsed', await this.parser.parse(body, delivery.contentType, route));
    return true;
  }
}
