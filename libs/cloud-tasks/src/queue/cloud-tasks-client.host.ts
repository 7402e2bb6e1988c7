import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { createCloudTasksClient } from './cloud-tasks-client.factory.js';

/** Owns the module's one `CloudTasksClient` and closes it on shutdown. */
@Injectable()
export class CloudTasksClientHost implements OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');
  readonly client: CloudTasksClient;

  constructor(@InjectResolvedOptions() options: ResolvedCloudTasksOptions) {
    this.client = createCloudTasksClient({ emulatorHost: options.emulatorHost });
    if (options.emulatorHost) this.logger.log({ msg: 'using the Cloud Tasks emulator', emulatorHost: options.emulatorHost });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close().catch((error: Error) => this.logger.warn({ msg: 'closing the Cloud Tasks client failed', error: error.message }));
  }
}
