import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CloudTasksDashboardOptions } from './dashboard-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: DASHBOARD_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CloudTasksDashboardOptions>({ moduleName: 'CloudTasksDashboard' }).setClassMethodName('forRoot').build();
