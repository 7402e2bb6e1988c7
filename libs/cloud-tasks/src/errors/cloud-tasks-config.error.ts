/** A boot-time configuration mistake (options, handlers, queues). The message says what and how to fix it. */
export class CloudTasksConfigError extends Error {
  override readonly name = 'CloudTasksConfigError';
}
