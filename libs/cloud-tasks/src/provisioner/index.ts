export { QueueProvisioner, type SyncOptions } from './queue-provisioner.js';
export { ProvisionReport, type FieldChange, type QueueAction, type QueueReportEntry, type ScheduleFieldChange, type ScheduleReportEntry } from './provision-report.js';
export { SCHEDULE_FIELDS, type ScheduleField } from '../schedules/schedule-settings.js';
export { QueueProvisionError } from './queue-provision.error.js';
export { CLOUD_TASKS_QUEUE_DEFAULTS, QUEUE_FIELDS, type QueueField, type QueueSettings } from './queue-settings.js';
