import type { ProvisionReport } from '../provisioner/provision-report.js';

/**
 * Queue provisioning failed: the queues could not be listed (no report then), or some changes were refused, in which
 * case `report` says which were made and which failed (each with its cause).
 */
export class QueueProvisionError extends Error {
  override readonly name = 'QueueProvisionError';

  constructor(
    message: string,
    readonly report?: ProvisionReport,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
