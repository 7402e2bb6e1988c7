import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { SCHEDULER_CLIENT_INIT_FAILED, SCHEDULER_PACKAGE_MISSING } from './schedule.messages.js';

/**
 * Owns the module's `CloudSchedulerClient`, built on first use (only the sync needs it: a service answering fires
 * never loads `@google-cloud/scheduler`). With `emulatorHost` it talks to the emulator on the same address as Cloud
 * Tasks, over an insecure channel, without looking up Google credentials. Closed on shutdown.
 */
@Injectable()
export class CloudSchedulerClientHost implements OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');
  private pending?: Promise<CloudSchedulerClient>;

  constructor(@InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions) {}

  /** The client, initialised; rejects with a `CloudTasksConfigError` naming the fix when it cannot be. */
  client(): Promise<CloudSchedulerClient> {
    return (this.pending ??= this.create());
  }

  async onApplicationShutdown(): Promise<void> {
    const client = await this.pending?.catch(() => undefined);
    await client?.close().catch((error: Error) => this.logger.warn({ msg: 'closing the Cloud Scheduler client failed', error: error.message }));
  }

  private async create(): Promise<CloudSchedulerClient> {
    let scheduler: typeof import('@google-cloud/scheduler');
    try {
      scheduler = await import('@google-cloud/scheduler');
    } catch (error) {
      throw new CloudTasksConfigError(SCHEDULER_PACKAGE_MISSING, { cause: error });
    }
    const { emulatorHost } = this.options;
    let client: CloudSchedulerClient;
    if (emulatorHost) {
      const [{ credentials }, { parseHostPort }] = await Promise.all([import('@grpc/grpc-js'), import('../queue/cloud-tasks-client.factory.js')]);
      const { host, port } = parseHostPort(emulatorHost);
      this.logger.log({ msg: 'using the Cloud Scheduler emulator', emulatorHost });
      // NOTE: as for Cloud Tasks: a fixed projectId and universeDomain keep google-gax from looking up credentials.
      client = new scheduler.CloudSchedulerClient({ servicePath: host, apiEndpoint: host, port, sslCreds: credentials.createInsecure(), projectId: 'emulator', universeDomain: 'googleapis.com', fallback: false });
    } else client = new scheduler.CloudSchedulerClient();
    try {
      await client.initialize();
    } catch (error) {
      throw new CloudTasksConfigError(SCHEDULER_CLIENT_INIT_FAILED((error as Error).message), { cause: error });
    }
    return client;
  }
}
