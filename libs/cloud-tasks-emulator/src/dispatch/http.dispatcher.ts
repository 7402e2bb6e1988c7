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

    try {
      if (this.closed) throw new Error('emulator closed');
      const target = this.target(request.url);
      const headers: http.OutgoingHttpHeaders = request.headers;
      if (request.body || request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') {
        headers['Content-Length'] = request.body?.length ?? 0;
      }
      req = (target.secure ? https : http).request({
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        method: request.method,
        headers,
        agent: target.secure ? this.httpsAgent : this.httpAgent,
      });
      this.pending.add(req);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const retryAfter = res.headers['retry-after'];
        res.on('end', () => finish(status, { retryAfter }));
        res.on('error', failed);
        res.on('close', () => {
          if (!res.complete) failed(new Error('response aborted'));
        });
        res.resume();
      });
      req.on('error', failed);
      req.end(request.body);
    } catch (error) {
      process.nextTick(failed, error);
    }
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

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
