export const INVALID_SCHEDULES = (problems: string[]) =>
  `Invalid CloudTasksModule schedules:\n${problems.map((p) => `  - ${p}`).join('\n')}`;

export const SCHEDULE_WITHOUT_HANDLER = (id: string, jobName: string) =>
  `Schedule "${id}" runs job "${jobName}", which has no @JobHandler('${jobName}') in this app: every fire would enqueue a task nobody processes. Add the handler to a module's providers, or remove the schedule.`;

export const SCHEDULE_INVALID_DATA = (id: string, jobName: string, className: string, error: string) =>
  `Schedule "${id}": its data is not a valid ${className} payload for job "${jobName}" (${error}); every fire would be dead-lettered. Fix the schedule's data.`;

export const NO_SCHEDULE_FOR_JOB = (jobName: string) =>
  `Job "${jobName}" has no schedule in this service, so Cloud Scheduler fires for it are refused. Add it to the "schedules" option, or delete the Cloud Scheduler job (sync with --prune).`;

export const MISSING_SCHEDULER_JOB_HEADER = 'Missing x-cloudscheduler-jobname header: schedule fires come from Cloud Scheduler.';

export const UNKNOWN_SCHEDULER_JOB = (schedulerJob: string, jobName: string, known: string[]) =>
  `Cloud Scheduler job "${schedulerJob}" is not a schedule of job "${jobName}" (its schedules: ${known.join(', ')}). Sync the schedules (QueueProvisioner.sync), or delete that Cloud Scheduler job.`;

export const BAD_SCHEDULE_TIME_HEADER = 'Missing or invalid x-cloudscheduler-scheduletime header (RFC 3339 expected).';

export const BAD_FIRE_BODY = (id: string, problem: string) =>
  `The body of this fire of schedule "${id}" is not what the sync puts there (${problem}): run QueueProvisioner.sync to repair the Cloud Scheduler job.`;

export const SCHEDULER_PACKAGE_MISSING =
  'Syncing schedules needs @google-cloud/scheduler (v5): npm i @google-cloud/scheduler. Only the sync needs it; the job endpoint answers fires without it.';

export const SCHEDULER_CLIENT_INIT_FAILED = (reason: string) =>
  `Could not initialise the Cloud Scheduler client (${reason.replace(/\.+$/, '')}). Run the sync as an identity with roles/cloudscheduler.admin (GOOGLE_APPLICATION_CREDENTIALS, or gcloud auth application-default login), or set CLOUD_TASKS_EMULATOR_HOST for the emulator.`;
