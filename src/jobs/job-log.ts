import type { JobContext } from '@nest-cloud-tasks/core';

/** The delivery fields every job log line carries (never payload secrets). */
export function jobFields(job: JobContext): { jobName: string; taskName: string; attempt: number; maxAttempts: number } {
  return { jobName: job.jobName, taskName: job.taskName, attempt: job.attempt, maxAttempts: job.maxAttempts };
}
