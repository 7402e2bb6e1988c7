import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import type { CloudTasksModuleOptions } from './interfaces/module-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CLOUD_TASKS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CloudTasksModuleOptions>({ moduleName: 'CloudTasks' })
  .setClassMethodName('forRoot')
  // NOTE: `providers` replace the module's own pieces (TokenVerifier, stores…): later providers win in a module.
  .setExtras<{ isGlobal: boolean; providers: Provider[] }>({ isGlobal: true, providers: [] }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), ...extras.providers],
  }))
  .build();

/** What `CloudTasksModule.forRootAsync()` takes: `useFactory` + `inject` + `imports`, `useClass` or `useExisting` (a {@link CloudTasksOptionsFactory}). */
export type CloudTasksModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
