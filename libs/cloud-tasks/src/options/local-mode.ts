import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';

/**
 * Whether the module runs locally: against an emulator (`emulatorHost`, or `CLOUD_TASKS_EMULATOR_HOST`), or in the
 * testing module. Only in local mode are `auth.mode: 'none'` and the memory stores (without an opt-in) accepted, and
 * may an app open development-only endpoints. `NODE_ENV` plays no part in it.
 */
export interface LocalMode {
  local: boolean;
  /** What makes it local. */
  via?: 'emulator' | 'test' | 'inline';
}

/** Injection token of the module's {@link LocalMode} (the testing module provides `{ local: true, via: 'test' }`). */
export const CLOUD_TASKS_LOCAL_MODE = Symbol('CloudTasksLocalMode');

/** The local mode the options imply: an emulator host, or every job in process (`transport.default: 'inline'`). */
export function localModeOf(options: Pick<CloudTasksModuleOptions, 'emulatorHost' | 'transport'>, env: NodeJS.ProcessEnv = process.env): LocalMode {
  if (options.emulatorHost || env.CLOUD_TASKS_EMULATOR_HOST?.trim()) return { local: true, via: 'emulator' };
  return options.transport?.default === 'inline' ? { local: true, via: 'inline' } : { local: false };
}
