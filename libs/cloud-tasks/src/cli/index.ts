export { runCli, CLI_USAGE } from './main.js';
export { queuesSync, QUEUES_SYNC_USAGE, type CliDeps } from './queues-sync.command.js';
export { deadLetters, DEAD_LETTERS_USAGE } from './dead-letters.command.js';
export { ExitCode, type CliIo } from './cli-io.js';
export { CliUsageError } from '../errors/cli-usage.error.js';
export type { CliCommandName, CliInvocation, CloudTasksCliConfig } from './cli-config.js';
