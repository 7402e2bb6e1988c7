import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { InjectCloudTasksClient } from '../cloud-tasks.tokens.js';

/** Closes the module's one `CloudTasksClient` (whatever `CLOUD_TASKS_CLIENT` resolves to) on shutdown. */
@Injectable()
export class CloudTasksClientHost implements OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');

  constructor(@InjectCloudTasksClient() private readonly client: CloudTasksClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close().catch((error: Error) => this.logger.warn({ msg: 'closing the Cloud Tasks client failed', error: error.message }));
  }
}
