import { createHmac, timingSafeEqual } from 'node:crypto';

/** The task header that carries the signature (Cloud Tasks passes a task's headers through to its target). */
export const TASK_SIGNATURE_HEADER = 'x-job-signature';
const VERSION = 'v1=';

/** `v1=` + base64url HMAC-SHA256 of the job name, a newline and the exact body. */
export function signTask(secret: string, jobName: string, body: Buffer): string {
  return VERSION + createHmac('sha256', secret).update(jobName).update('\n').update(body).digest('base64url');
}

/** Whether `header` is a signature of `jobName` and `body` by any of `secrets` (compared in constant time). */
export function taskSignatureValid(secrets: readonly string[], jobName: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !header.startsWith(VERSION)) return false;
  const given = Buffer.from(header.slice(VERSION.length), 'base64url');
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(jobName).update('\n').update(body).digest();
    // NOTE: every secret is tried, so the time taken does not tell which one (or whether any) matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
