import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { CLIENT_INIT_FAILED } from '../cloud-tasks.messages.js';
import { CLOUD_TASKS_CLIENT, InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';

/**
 * Owns the module's one `CloudTasksClient`: the one provided under `CLOUD_TASKS_CLIENT` (a fake in tests, a client
 * of your own), or else one built on first use. Building it loads `@google-cloud/tasks` and gRPC, a few hundred
 * milliseconds that a service answering jobs does not need at boot; the first `add()` pays them once. Closed on shutdown.
 */
@Injectable()
export class CloudTasksClientHost implements OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');
  private pending?: Promise<CloudTasksClient>;

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    @Optional() @Inject(CLOUD_TASKS_CLIENT) private readonly provided?: CloudTasksClient | null,
  ) {}

  /**
   * The client, initialised. Rejects with a `CloudTasksConfigError` naming the fix when it cannot be initialised
   * (no Google credentials), every time it is asked.
   */
  client(): Promise<CloudTasksClient> {
    return (this.pending ??= this.create());
  }

  async onApplicationShutdown(): Promise<void> {
    const client = await this.pending?.catch(() => undefined);
    await client?.close().catch((error: Error) => this.logger.warn({ msg: 'closing the Cloud Tasks client failed', error: error.message }));
  }

  private async create(): Promise<CloudTasksClient> {
    let client = this.provided;
    if (!client) {
      const { createCloudTasksClient } = await import('./cloud-tasks-client.factory.js');
      const { emulatorHost } = this.options;
      if (emulatorHost) this.logger.log({ msg: 'using the Cloud Tasks emulator', emulatorHost });
      client = createCloudTasksClient({ emulatorHost });
    }
    if (typeof client.initialize === 'function') {
      try {
        await client.initialize();
      } catch (error) {
        throw new CloudTasksConfigError(CLIENT_INIT_FAILED((error as Error).message), { cause: error });
      }
    }
    return client;
  }
}
