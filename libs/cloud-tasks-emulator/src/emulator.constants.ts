/** Cloud Tasks defaults and limits the emulator applies (values of the real service, see queue.proto and task.proto). */
export const DEFAULT_MAX_DISPATCHES_PER_SECOND = 500;
export const MAX_DISPATCHES_PER_SECOND = 500;
export const DEFAULT_MAX_CONCURRENT_DISPATCHES = 1000;
export const MAX_CONCURRENT_DISPATCHES = 5000;
export const MAX_BURST_SIZE = 100;
export const DEFAULT_MAX_ATTEMPTS = 100;
export const DEFAULT_MIN_BACKOFF_MS = 100;
export const DEFAULT_MAX_BACKOFF_MS = 3_600_000;
export const DEFAULT_MAX_DOUBLINGS = 16;

export const DEFAULT_DISPATCH_DEADLINE_MS = 600_000;
export const MIN_DISPATCH_DEADLINE_MS = 15_000;
export const MAX_DISPATCH_DEADLINE_MS = 1_800_000;
export const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3_600_000;
export const DEFAULT_MAX_TASK_BYTES = 1024 * 1024;
export const DEFAULT_TOMBSTONE_TTL_MS = 3_600_000;
export const MAX_TASK_ID_LENGTH = 500;
export const MAX_QUEUE_ID_LENGTH = 100;
export const MAX_QUEUES_PAGE_SIZE = 9800;
export const MAX_TASKS_PAGE_SIZE = 1000;

export const DEFAULT_ISSUER = 'https://accounts.google.com';
export const OIDC_TOKEN_LIFETIME_S = 3600;
/** NOTE: a cached token is reused until this close to its expiry (signing RSA per dispatch is too slow). */
export const OIDC_TOKEN_REFRESH_MARGIN_S = 300;
export const CERTS_MAX_AGE_S = 3600;

export const USER_AGENT = 'Google-Cloud-Tasks';

/** Headers Cloud Tasks sets on every dispatch. */
export const DispatchHeaders = {
  QueueName: 'X-CloudTasks-QueueName',
  TaskName: 'X-CloudTasks-TaskName',
  RetryCount: 'X-CloudTasks-TaskRetryCount',
  ExecutionCount: 'X-CloudTasks-TaskExecutionCount',
  Eta: 'X-CloudTasks-TaskETA',
  PreviousResponse: 'X-CloudTasks-TaskPreviousResponse',
  RetryReason: 'X-CloudTasks-TaskRetryReason',
} as const;

/** Project and location of queues created from a definition that names neither (CLI `--queue`, a queue file). */
export const DEFAULT_PROJECT_ID = 'local-project';
export const DEFAULT_LOCATION = 'us-central1';

/** How long the service refuses a deleted queue's name (and tells CreateTask the queue "existed recently"): 7 days. */
export const QUEUE_NAME_REUSE_DELAY_MS = 7 * 24 * 3_600_000;

/** Where App Engine tasks go when no `appEngineUrl` is given: the App Engine dev server's default address. */
export const DEFAULT_APP_ENGINE_URL = 'http://127.0.0.1:8080';
export const MAX_APP_ENGINE_DISPATCH_DEADLINE_MS = 24 * 3_600_000 + 15_000;

/** Headers Cloud Tasks sets on every dispatch of an App Engine task. */
export const AppEngineHeaders = {
  QueueName: 'X-AppEngine-QueueName',
  TaskName: 'X-AppEngine-TaskName',
  RetryCount: 'X-AppEngine-TaskRetryCount',
  ExecutionCount: 'X-AppEngine-TaskExecutionCount',
  Eta: 'X-AppEngine-TaskETA',
  PreviousResponse: 'X-AppEngine-TaskPreviousResponse',
  RetryReason: 'X-AppEngine-TaskRetryReason',
} as const;
