export {
  DEFAULT_MONITORING_THRESHOLDS,
  monitoringExport,
  monitoringExportFiles,
  type AlertThreshold,
  type ExportedAlertPolicy,
  type MonitoringExport,
  type MonitoringExportFile,
  type MonitoringExportOptions,
  type MonitoringThresholds,
} from './monitoring-export.js';
export type { CloudMonitoringAlertPolicy, CloudMonitoringDashboard } from './cloud-monitoring.types.js';
