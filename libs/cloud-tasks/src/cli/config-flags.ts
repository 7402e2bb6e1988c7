import type { ParseArgsConfig } from 'node:util';
import type { CliConfigSource } from './cli-config.js';

/** The flags every command takes to find the user's configuration. */
export const CONFIG_FLAGS = {
  module: { type: 'string' },
  app: { type: 'string' },
  project: { type: 'string' },
  location: { type: 'string' },
  'emulator-host': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const CONFIG_USAGE = `Configuration (one of):
  --module FILE[#EXPORT]   a JavaScript file exporting your CloudTasksModuleOptions, a function returning them
                           (called with { command, action, env }), or your queue configs (Record<jobName, QueueConfig>)
  --app FILE[#EXPORT]      your application module (default export name AppModule), booted as an application context
  Without #EXPORT, the one export of a usable shape is taken.
  --project ID             queue configs only: the GCP project (default GOOGLE_CLOUD_PROJECT)
  --location LOCATION      queue configs only: the Cloud Tasks location (default CLOUD_TASKS_LOCATION)
  --emulator-host H:P      talk to a Cloud Tasks emulator (default: the configuration's, or CLOUD_TASKS_EMULATOR_HOST)
  --verbose                show the library's logs
  -h, --help               show this help

.env in the working directory is read first, if there is one.`;

/** The configuration part of parsed flags. */
export function configSourceOf(values: { module?: string; app?: string; project?: string; location?: string; 'emulator-host'?: string }): CliConfigSource {
  return {
    ...(values.module ? { module: values.module } : {}),
    ...(values.app ? { app: values.app } : {}),
    ...(values.project ? { project: values.project } : {}),
    ...(values.location ? { location: values.location } : {}),
    ...(values['emulator-host'] ? { emulatorHost: values['emulator-host'] } : {}),
  };
}
