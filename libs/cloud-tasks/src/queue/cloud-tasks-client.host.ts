import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { InjectCloudTasksClient } from '../cloud-tasks.tokens.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';

/**
 * Initialises the module's one `CloudTasksClient` at boot (so missing Google credentials fail `app.init()` with a clear
 * message instead of an unhandled rejection on the first `add()`), and closes it on shutdown.
 */
@Injectable()
export class CloudTasksClientHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');

  constructor(@InjectCloudTasksClient() private readonly client: CloudTasksClient) {}

  async onApplicationBootstrap(): Promise<void> {
    const client = this.client as Partial<CloudTasksClient>;
    if (typeof client.initialize !== 'function') return;
    try {
      await client.initialize();
    } catch (error) {
      throw new CloudTasksConfigError(
        `Could not initialise the Cloud Tasks client (${(error as Error).message.replace(/\.+$/, "")}). On GCP, run as a service account with roles/cloudtasks.enqueuer; locally, set GOOGLE_APPLICATION_CREDENTIALS (or gcloud auth application-default login), or CLOUD_TASKS_EMULATOR_HOST for the emulator.`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close().catch((error: Error) => this.logger.warn({ msg: 'closing the Cloud Tasks client failed', error: error.message }));
  }
}
