/**
 * Whether a header of a task or job is one the service computes or reserves itself (task.proto and target.proto:
 * Host, Content-Length, User-Agent, `X-Google-*`, `X-AppEngine-*`, the service's own prefix), or an Authorization
 * header that a token replaces.
 */
export function isReplacedHeader(key: string, hasAuthToken: boolean, servicePrefix: 'x-cloudtasks-' | 'x-cloudscheduler'): boolean {
  const k = key.toLowerCase();
  return (
    k === 'host' ||
    k === 'content-length' ||
    k === 'user-agent' ||
    k.startsWith('x-google-') ||
    k.startsWith('x-appengine-') ||
    k.startsWith(servicePrefix) ||
    (hasAuthToken && k === 'authorization')
  );
}
