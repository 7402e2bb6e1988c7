/** Metadata key of `@JobHandler()`. */
export const JOB_HANDLER_METADATA = 'cloud-tasks:job-handler';

export const DEFAULT_HANDLER_PATH = 'api/jobs';
export const DEFAULT_MAX_TASK_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
export const DEFAULT_DISPATCH_DEADLINE_SECONDS = 600;
export const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 86_400;
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024;
export const DEFAULT_LEASE_SECONDS = 15;
export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
export const DEFAULT_REDACT_KEYS = ['password', 'token', 'apikey', 'api_key', 'secret', 'authorization', 'credential', 'privatekey', 'private_key'];

/** Request headers Cloud Tasks sets on every dispatch. */
export const CloudTasksHeaders = {
  QueueName: 'x-cloudtasks-queuename',
  TaskName: 'x-cloudtasks-taskname',
  RetryCount: 'x-cloudtasks-taskretrycount',
  ExecutionCount: 'x-cloudtasks-taskexecutioncount',
  Eta: 'x-cloudtasks-tasketa',
  PreviousResponse: 'x-cloudtasks-taskpreviousresponse',
  RetryReason: 'x-cloudtasks-taskretryreason',
} as const;

/** Response header that marks a job dead (permanent failure answered with 202 so Cloud Tasks stops retrying). */
export const JOB_OUTCOME_HEADER = 'X-Job-Outcome';
