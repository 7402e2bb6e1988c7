export const DUPLICATE_JOB_HANDLER = (jobName: string, first: string, second: string) =>
  `Two job handlers for "${jobName}": ${first} and ${second}. Give each @JobHandler() a distinct job name, or remove one of them from the providers.`;

export const HANDLER_WITHOUT_QUEUE = (jobName: string, className: string) =>
  `@JobHandler('${jobName}') on ${className} has no queue config. Add a "${jobName}" entry to the "queues" option of CloudTasksModule.forRoot()/forRootAsync().`;

export const QUEUE_WITHOUT_HANDLER = (jobName: string, queue: string) =>
  `Queue config "${jobName}" (queue ${queue}) has no @JobHandler('${jobName}'): its tasks will answer 404 and be retried until a handler is deployed.`;

export const HANDLER_WITHOUT_PROCESS = (jobName: string, className: string) =>
  `${className} is decorated with @JobHandler('${jobName}') but has no process(data, job) method. Implement JobProcessor.`;

export const HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE = (jobName: string, className: string, perJob: number, queue: number) =>
  `@JobHandler('${jobName}') on ${className} sets maxAttempts ${perJob}, above its queue's retryConfig.maxAttempts ${queue}. Lower it or raise the queue's.`;

export const HANDLER_MAX_ATTEMPTS_INVALID = (jobName: string, className: string, problem: string) =>
  `@JobHandler('${jobName}') on ${className}: maxAttempts ${problem}. Give a whole number of attempts, at most its queue's retryConfig.maxAttempts.`;

export const INVALID_OPTIONS = (problems: string[]) =>
  `Invalid CloudTasksModule options:\n${problems.map((p) => `  - ${p}`).join('\n')}`;

export const AUTH_NONE_OUTSIDE_LOCAL_MODE =
  'auth.mode "none" is only accepted in local mode (emulatorHost / CLOUD_TASKS_EMULATOR_HOST set, or the testing module): against Cloud Tasks anyone could run jobs. Use "verify-signature" (default) or "cloud-run-iam".';

export const MEMORY_STORES_OUTSIDE_LOCAL_MODE = (which: string) =>
  `${which} would be kept in memory, which is only accepted in local mode (emulatorHost / CLOUD_TASKS_EMULATOR_HOST set, or the testing module): against Cloud Tasks, duplicates on other instances would run again and dead letters would vanish on restart. Set idempotency.upstash (UPSTASH_REDIS_REST_URL/TOKEN) or idempotency.store and deadLetters.store; or, for a single-instance deployment that accepts losing them on restart, allowMemoryStores: 'single-instance'.`;

export const MEMORY_STORES_OPTED_IN =
  "allowMemoryStores: 'single-instance' — idempotency records and dead letters are kept in this process's memory against real Cloud Tasks: duplicates delivered to any other instance run again, and every dead letter is LOST when the process restarts. Configure idempotency.upstash for anything beyond a single instance.";

export const NON_GOOGLE_CERTS_URL = (url: string) =>
  `auth.certsUrl ${url} is not Google's: job tokens are verified against keys from there. Outside local mode that is only right for a deliberate setup (a proxy of Google's certs); remove auth.certsUrl to use Google's.`;

export const CLOUD_RUN_IAM_WARNING =
  'auth.mode "cloud-run-iam": tokens whose signature Cloud Run replaced with SIGNATURE_REMOVED_BY_GOOGLE are accepted on their claims. This is only safe when the service does not allow unauthenticated invocations (no allUsers run.invoker binding).';

export const MEMORY_IDEMPOTENCY_WARNING =
  'Idempotency records are kept in memory (per instance only): duplicates delivered to another instance, or after a restart, are not caught. Set idempotency.upstash (UPSTASH_REDIS_REST_URL/TOKEN) or idempotency.store in production.';

export const UNKNOWN_JOB = (jobName: string, known: string[]) =>
  `Unknown job "${jobName}": no queue config. Known jobs: ${known.join(', ') || '(none)'}. Add it to the "queues" option.`;

export const UNSUPPORTED_HTTP_ADAPTER = (type: string) =>
  `CloudTasksModule's job endpoint supports the Express and Fastify adapters; this app runs on "${type}". Use @nestjs/platform-express or @nestjs/platform-fastify.`;

export const NOT_THROUGH_FRONT_DOOR =
  "This request reached the job endpoint without passing CloudTasksModule's HTTP front door, so its body cannot be read safely. Serve the app with app.listen() (or app.inject() on Fastify) on the server Nest created.";

export const NO_HANDLER_FOR_JOB = (jobName: string) =>
  `No handler for job "${jobName}" in this service. Cloud Tasks will retry; deploy a @JobHandler('${jobName}').`;

export const MISSING_QUEUE_HEADER = 'Missing x-cloudtasks-queuename header: job requests come from Cloud Tasks.';

export const WRONG_QUEUE_HEADER = (queueName: string, jobName: string, expected: string) =>
  `Queue "${queueName}" is not the queue of job "${jobName}" (expected "${expected}").`;

export const BODY_TOO_LARGE = (limit: number) => `Request body exceeds ${limit} bytes (maxTaskBytes)`;

export const BODY_READERS_BUSY =
  'Too many job bodies are being read at once (maxBodyBytesInFlight); retry later.';

export const CLIENT_INIT_FAILED = (reason: string) =>
  `Could not initialise the Cloud Tasks client (${reason.replace(/\.+$/, '')}). On GCP, run as a service account with roles/cloudtasks.enqueuer; locally, set GOOGLE_APPLICATION_CREDENTIALS (or gcloud auth application-default login), or CLOUD_TASKS_EMULATOR_HOST for the emulator.`;

export const FINAL_ATTEMPT_HANDED_OFF = (heldForSeconds: number) =>
  `The task's final attempt found this job still running in another delivery (its claim is ${heldForSeconds}s old) until its dispatch deadline, so Cloud Tasks stops here. Recorded as dead so the job is not lost; if that delivery completes the job, this dead letter is removed.`;

export const FINAL_ATTEMPT_STORE_DOWN =
  "The idempotency store was unreachable on the task's final attempt (failMode closed), so the job could not run; Cloud Tasks stops here. Retry it once the store is back.";

export const BAD_TASK_SIGNATURE = 'Missing or invalid task signature (X-Job-Signature): this body was not signed for this job by this service.';

export const LEASE_TOO_LONG = (leaseSeconds: number, jobs: string[]) =>
  `idempotency.leaseSeconds (${leaseSeconds}) is more than half the dispatch deadline of ${jobs.join(', ')}: a final attempt of those jobs may not outwait the claim of a crashed delivery (it then records a dead letter). Lower leaseSeconds or raise their dispatchDeadline.`;

export const FINAL_ATTEMPT_INTERRUPTED =
  "The task's final attempt did not finish: the process running it stopped (a crash, a kill, a scale-down) before it could record the outcome, and Cloud Tasks stops here. Check whether the job's effect happened before retrying it.";

export const INLINE_OUTSIDE_LOCAL_MODE = (jobs: string[]) =>
  `transport.jobs routes ${jobs.join(', ')} to "inline" against real Cloud Tasks: the inline transport runs jobs in the enqueuing process, for tests and local runs only. Route them to "cloud-tasks" (or "bullmq").`;

/**
 * A delay beyond Cloud Tasks' 30 days. Any delay a BullMQ caller wrote in milliseconds from 43 minutes up lands here,
 * so the refusal says how to read it; shorter ones are valid delays in seconds and pass unremarked.
 */
export const DELAY_TOO_FAR = (delay: number) =>
  `delay ${delay} is more than 30 days ahead, Cloud Tasks' limit. delay is in seconds here (BullMQ's is in milliseconds: ${delay} ms would be delay: ${Math.round(delay / 1000)}). For a later run, schedule it from a periodic job.`;
