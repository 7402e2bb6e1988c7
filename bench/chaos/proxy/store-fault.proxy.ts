import http from 'node:http';
import { readBody } from './http-body.js';
import { closeServer, listenLocal, localUrl } from './local-server.js';

/** Options of {@link StoreFaultProxy}. */
export interface StoreFaultProxyOptions {
  /** Base URL of the store (upstash-local). */
  upstream: string;
  /** Probability that a reply is dropped after the store applied the request. Default 0. */
  dropReplies?: number;
  /** Source of randomness in [0, 1): seed it for repeatable runs. Default `Math.random`. */
  random?: () => number;
}

/** What the proxy did so far. */
export interface StoreFaultStats {
  /** Requests that reached the store. */
  forwarded: number;
  /** Of those, replies dropped after the store had applied them. */
  repliesDropped: number;
  /** Requests refused during a blackout (the store never saw them). */
  blackedOut: number;
  /** Requests the store did not answer (down, connection reset). */
  upstreamErrors: number;
}

// NOTE: a pooled socket idle for less than the upstream's 5 s keep-alive timeout is never closed under a request,
// so the proxy itself injects no connection resets.
const upstreamAgent = () => new http.Agent({ keepAlive: true, timeout: 2_000 });

/**
 * An HTTP proxy between the apps and the Upstash REST server that injects store faults:
 * - with probability `dropReplies`, forwards the request, lets the store apply it, then destroys the client's socket
 *   instead of answering (the client sees a network error, as when a reply is lost on the way back);
 * - during a blackout, destroys every client socket without forwarding (and drops replies still on their way).
 * A store that cannot be reached is a network error for the client too.
 */
export class StoreFaultProxy {
  private upstream: URL;
  private dropReplies: number;
  private readonly random: () => number;
  private blackedOut = false;
  private readonly agent = upstreamAgent();
  private readonly counters: StoreFaultStats = { forwarded: 0, repliesDropped: 0, blackedOut: 0, upstreamErrors: 0 };

  private constructor(
    private readonly server: http.Server,
    options: StoreFaultProxyOptions,
  ) {
    this.upstream = new URL(options.upstream);
    this.dropReplies = options.dropReplies ?? 0;
    this.random = options.random ?? Math.random;
    server.on('request', (req, res) => void this.handle(req, res));
  }

  static async start(options: StoreFaultProxyOptions): Promise<StoreFaultProxy> {
    const server = http.createServer();
    server.keepAliveTimeout = 60_000;
    const proxy = new StoreFaultProxy(server, options);
    await listenLocal(server);
    return proxy;
  }

  get url(): string {
    return localUrl(this.server);
  }

  stats(): StoreFaultStats {
    return { ...this.counters };
  }

  /** Points the proxy at another store address (after a restart on a new port). */
  setUpstream(url: string): void {
    this.upstream = new URL(url);
  }

  setDropReplies(probability: number): void {
    this.dropReplies = probability;
  }

  /** While on, the store is unreachable through the proxy. */
  blackout(on: boolean): void {
    this.blackedOut = on;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await closeServer(this.server);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req).catch(() => undefined);
    if (body === undefined) return;
    if (this.blackedOut) {
      this.counters.blackedOut++;
      return void req.socket.destroy();
    }
    let reply: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      reply = await this.forward(req, body);
    } catch {
      this.counters.upstreamErrors++;
      return void req.socket.destroy();
    }
    this.counters.forwarded++;
    if (this.blackedOut || this.random() < this.dropReplies) {
      this.counters.repliesDropped++;
      return void req.socket.destroy();
    }
    res.writeHead(reply.status, withoutHopHeaders(reply.headers));
    res.end(reply.body);
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const target = this.upstream;
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...withoutHopHeaders(req.headers), host: target.host, 'content-length': String(body.length) },
          agent: this.agent,
        },
        (response) => {
          readBody(response).then((data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection']);

/** The headers without the hop-by-hop ones (each leg has its own connection handling and length). */
export function withoutHopHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_HEADERS.has(name)) out[name] = value;
  return out;
}
