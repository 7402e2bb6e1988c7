export const HEALTH_CHECK_TIMED_OUT = (what: string, timeoutMs: number) => `${what} did not answer within ${timeoutMs} ms`;

export const HEALTH_UNKNOWN_QUEUE_JOB = (jobName: string) =>
  `No queue config for job "${jobName}": pass the name of a job in the module's queues as the health check's queue option.`;
