import type { CliInvocation, CloudTasksModuleOptions } from '@nest-cloud-tasks/core';
import { cloudTasksOptionsFactory, envReader } from '../config/cloud-tasks.options.js';
import { resolveCliTarget } from './cli-support.js';

/**
 * The example's configuration for the `nest-cloud-tasks` CLI (`npm run queues:sync`, `npm run dead-letters`): the
 * options the service builds, from the same environment, with the target `resolveCliTarget` decides.
 */
export function cloudTasksCliOptions({ command, action, env }: CliInvocation): CloudTasksModuleOptions {
  const target = resolveCliTarget(env, { allowAssumedLocal: command === 'dead-letters', needsTaskTarget: action === 'retry' });
  return cloudTasksOptionsFactory(envReader(target.env));
}
