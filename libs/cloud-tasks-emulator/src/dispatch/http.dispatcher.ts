import http from 'node:http';
import https from 'node:https';
import type { DispatchHandle, DispatchRequest, DispatchResult, Dispatcher } from './dispatcher.interface.js';

interface Target {
  secure: boolean;
  hostname: string;
  port: number;
  path: string;
}

const MAX_CACHED_TARGETS = 1000;
/** Redirects followed per attempt; the response after the last one counts as the attempt's status. */
const MAX_REDIRECTS = 10;

/** Dispatches over node:http(s) with keep-alive agents; parsed target URLs are cached (tasks share a few URLs). */
export class HttpDispatcher implements Dispatcher {
  // NOTE: a queue may have up to 5000 requests in flight; keep that many idle sockets rather than reconnecting.
  private readonly httpAgent = new http.Agent({ keepAlive: true, scheduling: 'lifo', maxFreeSockets: 5000 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, scheduling: 'lifo', maxFreeSockets: 5000 });
  private readonly targets = new Map<string, Target>();
  private readonly pending = new Set<http.ClientRequest>();
  private closed = false;

  send(request: DispatchRequest, done: (result: DispatchResult) => void): DispatchHandle {
    const started = performance.now();
    let finished = false;
    let timedOut = false;
    let req: http.ClientRequest | undefined;
    const finish = (status: DispatchResult['status'], extra?: Partial<DispatchResult>): void => {
      if (finished) return;
      finished = true;
      if (req) this.pending.delete(req);
      done({ status, durationMs: performance.now() - started, ...extra });
    };
    const failed = (error: unknown): void => finish(timedOut ? 'timeout' : 'network-error', { error: errorText(error) });

    const hop = (current: DispatchRequest, redirects: number): void => {
      try {
        if (this.closed) throw new Error('emulator closed');
        const target = this.target(current.url);
        const headers: http.OutgoingHttpHeaders = { ...current.headers };
        if (current.body || current.method === 'POST' || current.method === 'PUT' || current.method === 'PATCH') {
          headers['Content-Length'] = current.body?.length ?? 0;
        }
        if (req) this.pending.delete(req);
        req = (target.secure ? https : http).request({
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          method: current.method,
          headers,
          agent: target.secure ? this.httpsAgent : this.httpAgent,
        });
        this.pending.add(req);
        req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          const retryAfter = res.headers['retry-after'];
          const next = redirects < MAX_REDIRECTS ? redirected(current, status, res.headers.location) : undefined;
          res.on('end', () => (next ? hop(next, redirects + 1) : finish(status, { retryAfter })));
          res.on('error', failed);
          res.on('close', () => {
            if (!res.complete) failed(new Error('response aborted'));
          });
          res.resume();
        });
        req.on('error', failed);
        req.end(current.body);
      } catch (error) {
        process.nextTick(failed, error);
      }
    };
    hop(request, 0);
    return {
      abort: () => {
        if (finished) return;
        timedOut = true;
        if (req) req.destroy(new Error('dispatch deadline exceeded'));
        else process.nextTick(failed, new Error('dispatch deadline exceeded'));
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const req of this.pending) req.destroy(new Error('emulator closed'));
    this.pending.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private target(url: string): Target {
    let target = this.targets.get(url);
    if (!target) {
      const u = new URL(url);
      const secure = u.protocol === 'https:';
      target = {
        secure,
        hostname: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port ? Number(u.port) : secure ? 443 : 80,
        path: `${u.pathname}${u.search}`,
      };
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }
}

/**
 * The request a redirect leads to, or undefined when the response is not one. As the service documents ("if the
 * worker or the redirected worker acknowledges the task"), redirects are followed; with the fetch standard's rules:
 * 307/308 keep method and body, 303 (and 301/302 of a POST) become a GET without body, and the Authorization header
 * is dropped when the redirect leaves the original host.
 */
function redirected(request: DispatchRequest, status: number, location: string | undefined): DispatchRequest | undefined {
  if (!location || ![301, 302, 303, 307, 308].includes(status)) return undefined;
  let url: URL;
  try {
    url = new URL(location, request.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const toGet = status === 303 ? request.method !== 'HEAD' : (status === 301 || status === 302) && request.method === 'POST';
  const headers = { ...request.headers };
  if (url.host !== new URL(request.url).host) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'authorization') delete headers[key];
  }
  if (toGet) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-type') delete headers[key];
    return { url: url.toString(), method: 'GET', headers, body: undefined };
  }
  return { ...request, url: url.toString(), headers };
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
