export { CloudTasksDashboardModule } from './cloud-tasks-dashboard.module.js';
export type { CloudTasksDashboardOptions, DashboardAccessOptions, DashboardIdentityOptions } from './dashboard-options.interface.js';
export { IAP_ASSERTION_HEADER } from './dashboard.constants.js';
