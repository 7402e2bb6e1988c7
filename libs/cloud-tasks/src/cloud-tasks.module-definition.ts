import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CloudTasksModuleOptions } from './interfaces/module-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CLOUD_TASKS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CloudTasksModuleOptions>({ moduleName: 'CloudTasks' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
