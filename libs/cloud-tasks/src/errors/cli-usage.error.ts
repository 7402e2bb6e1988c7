/** A mistake in a `nest-cloud-tasks` command line or in the configuration it points at: printed, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
