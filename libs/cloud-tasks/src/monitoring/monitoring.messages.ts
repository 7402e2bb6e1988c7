export const MONITORING_NO_QUEUES = 'monitoringExport(): no queues given. Pass the module\'s queues option (job name → queue config).';

export const MONITORING_BAD_SETTING = (name: string, value: string) =>
  `monitoringExport(): ${name} "${value}" is not valid. Use the ids Cloud Monitoring shows (letters, digits, hyphens, underscores, dots).`;

export const MONITORING_BAD_THRESHOLD = (name: string) =>
  `monitoringExport(): thresholds.${name} must be a positive number (durations in whole seconds).`;
