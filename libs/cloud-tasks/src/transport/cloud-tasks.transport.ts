import { Injectable, Logger } from '@nestjs/common';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { EnqueueError } from '../errors/enqueue.error.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { CloudTasksClientHost } from '../queue/cloud-tasks-client.host.js';
import { toProtoDuration, toProtoTimestamp } from '../utils/duration.js';
import type { JobTransport, PreparedJob, SentJob } from './job-transport.js';

/** gRPC status codes this transport reacts to. */
const GrpcStatus = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, INTERNAL: 13, UNAVAILABLE: 14 } as const;
const TRANSIENT = new Set<number>([GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.UNAVAILABLE, GrpcStatus.INTERNAL, GrpcStatus.RESOURCE_EXHAUSTED]);
const CREATE_ATTEMPTS = 4;

type ITask = protos.google.cloud.tasks.v2.ITask;

/**
 * The default transport: one named Cloud Tasks HTTP task per job, POSTed back to the job endpoint with an OIDC token.
 * A transient `createTask` failure is retried under the same name (no second task can appear); a call whose outcome is
 * unknown is checked with `GetTask` before a failure is reported.
 */
@Injectable()
export class CloudTasksTransport implements JobTransport {
  readonly name = 'cloud-tasks' as const;
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly clients: CloudTasksClientHost,
  ) {}

  async send(job: PreparedJob): Promise<SentJob> {
    const { jobName, queue, idempotencyKey, taskName } = job;
    const parent = taskName.slice(0, taskName.lastIndexOf('/tasks/'));
    const task: ITask = {
      name: taskName,
      httpRequest: {
        httpMethod: 'POST',
        url: job.url,
        headers: job.headers,
        body: job.body,
        oidcToken: { serviceAccountEmail: this.options.serviceAccountEmail, audience: this.options.auth.audience },
      },
    };
    if (job.scheduleTime) task.scheduleTime = toProtoTimestamp(job.scheduleTime.getTime());
    if (job.envelope.dispatchDeadline !== undefined) task.dispatchDeadline = toProtoDuration(job.envelope.dispatchDeadline * 1000);
    const client = await this.clients.client();
    for (let attempt = 1; ; attempt++) {
      try {
        await client.createTask({ parent, task });
        return { duplicate: false };
      } catch (error) {
        const code = grpcCode(error);
        // NOTE: after a transient failure our own first try may have landed; that is not a duplicate to the caller.
        if (code === GrpcStatus.ALREADY_EXISTS) return { duplicate: attempt === 1 };
        if (code !== undefined && TRANSIENT.has(code) && attempt < CREATE_ATTEMPTS) {
          const wait = 100 * 2 ** (attempt - 1) * (0.5 + Math.random());
          this.logger.warn({ msg: 'createTask failed, retrying', jobName, queue: queue.name, code, attempt, waitMs: Math.round(wait) });
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        const failure = { jobName, idempotencyKey, taskName, taskMayExist: false };
        if (code === undefined || TRANSIENT.has(code)) {
          // NOTE: a call that timed out or lost its connection may have created the task: ask before reporting failure.
          const found = await this.taskExists(client, taskName);
          if (found === true) return { duplicate: false };
          failure.taskMayExist = found === undefined;
        }
        throw new EnqueueError(
          `Could not enqueue "${jobName}" into ${parent}: ${(error as Error).message}${missingQueue(code, error) ? ' (does the queue exist? create it with the queue sync CLI, or QueueProvisioner.sync())' : ''}${failure.taskMayExist ? ' (the task may exist: re-add with the same idempotencyKey to be sure, it cannot create a second one)' : ''}`,
          failure,
          { cause: error },
        );
      }
    }
  }

  /** Whether the task exists: true, false, or undefined when Cloud Tasks cannot tell now. */
  private async taskExists(client: CloudTasksClient, name: string): Promise<boolean | undefined> {
    try {
      await client.getTask({ name, responseView: 'BASIC' }, { timeout: 5_000, retry: null });
      return true;
    } catch (error) {
      return grpcCode(error) === GrpcStatus.NOT_FOUND ? false : undefined;
    }
  }
}

/**
 * Cloud Tasks answers a task created in a missing queue with 9 FAILED_PRECONDITION "Queue does not exist." (or "The
 * queue no longer exists…" for a recently deleted one); some emulators answer 5 NOT_FOUND.
 */
function missingQueue(code: number | undefined, error: unknown): boolean {
  if (code === GrpcStatus.NOT_FOUND) return true;
  return code === GrpcStatus.FAILED_PRECONDITION && /queue does not exist|queue no longer exists/i.test((error as Error).message);
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}
