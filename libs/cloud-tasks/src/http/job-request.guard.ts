import { Injectable, InternalServerErrorException, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { TASK_SIGNATURE_HEADER, taskSignatureValid } from '../auth/task-signature.js';
import { BAD_TASK_SIGNATURE, NOT_THROUGH_FRONT_DOOR } from '../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { JobRequestRefusal } from './job-request.refusal.js';
import { JobEnvelopeParser } from '../envelope/job-envelope.parser.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import { deliveryOf } from './adapters/job-http.adapter.js';
import { JobBodyReader } from './job-body.reader.js';
import { routeOf } from './job-route.js';
import { isSchedulerFire, ScheduleFires } from '../schedules/schedule-fires.js';

/**
 * The job endpoint's request checks, after authentication: route (404 unknown job, 400 wrong queue header), then the
 * body (read by {@link JobBodyReader}), its task signature when `signing` is on (401), then the envelope and payload
 * ({@link JobEnvelopeParser}). A bad envelope or payload passes: the delivery is marked invalid and dead-lettered
 * (202) by the runner.
 */
@Injectable()
export class JobRequestGuard implements CanActivate {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly reader: JobBodyReader,
    private readonly parser: JobEnvelopeParser,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly fires: ScheduleFires,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.getArgByIndex<{ params: Record<string, string | undefined>; headers: IncomingHttpHeaders }>(0);
    const delivery = deliveryOf(request);
    // NOTE: never fall back to a body the framework parsed: its limits and strictness are not the endpoint's.
    if (!delivery) throw new InternalServerErrorException(NOT_THROUGH_FRONT_DOOR);
    const jobName = request.params.jobName ?? '';
    if (isSchedulerFire(request.headers)) {
      // NOTE: a fire only enqueues the job's task; the task then comes back through the checks below.
      delivery.set('fire', this.fires.route(jobName, request.headers));
      this.checkSignature(request, jobName, await this.reader.read(delivery));
      return true;
    }
    const route = routeOf(this.registry, jobName, request.headers);
    delivery.set('route', route);
    const body = await this.reader.read(delivery);
    this.checkSignature(request, route.handler.jobName, body);
    delivery.set('parsed', await this.parser.parse(body, delivery.contentType, route));
    return true;
  }

  private checkSignature(request: { headers: IncomingHttpHeaders }, jobName: string, body: Buffer): void {
    const signing = this.options.signing;
    if (!signing) return;
    const header = request.headers[TASK_SIGNATURE_HEADER];
    if (!taskSignatureValid(signing.secrets, jobName, body, Array.isArray(header) ? header[0] : header)) {
      const { ip } = request as { ip?: string };
      this.logger.warn({ msg: 'job request refused', status: 401, reason: BAD_TASK_SIGNATURE, jobName, ip, userAgent: request.headers['user-agent']?.slice(0, 200) });
      throw new JobRequestRefusal(401, BAD_TASK_SIGNATURE);
    }
  }
}
