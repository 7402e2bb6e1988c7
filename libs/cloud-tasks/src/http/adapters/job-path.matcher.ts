/**
 * A test of request URLs against every path Express routes to `POST …/{handlerPath}/:jobName`: any prefix (global
 * prefix, versions), the path compared without regard to case (Express' default), one trailing slash allowed, query
 * ignored, absolute-form URLs (`http://host/path`) too. A superset on purpose: a request the job endpoint receives must
 * have passed the front door.
 */
export function jobPathMatcher(handlerPath: string): (url: string) => boolean {
  const suffix = `/${handlerPath.toLowerCase()}/`;
  return (url) => {
    let end = url.indexOf('?');
    if (end === -1) end = url.length;
    let path = url.slice(url.startsWith('/') ? 0 : pathStart(url), end).toLowerCase();
    if (path.endsWith('/')) path = path.slice(0, -1);
    const at = path.lastIndexOf(suffix);
    return at !== -1 && path.length > at + suffix.length && !path.includes('/', at + suffix.length);
  };
}

/** Where the path of an absolute-form URL starts. */
function pathStart(url: string): number {
  const scheme = url.indexOf('://');
  if (scheme === -1) return 0;
  const slash = url.indexOf('/', scheme + 3);
  return slash === -1 ? url.length : slash;
}
