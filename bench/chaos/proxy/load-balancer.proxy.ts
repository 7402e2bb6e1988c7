import http from 'node:http';
import { readBody } from './http-body.js';
import { closeServer, listenLocal, localUrl } from './local-server.js';
import { withoutHopHeaders } from './store-fault.proxy.js';

/** Header a replayed request carries to the balancer (removed before it is forwarded). */
const REPLAY_HEADER = 'x-chaos-replay';

/** A delivery as it went through the balancer. */
export interface DeliveryRecord {
  /** The envelope's idempotency key, when the body had one. */
  key?: string;
  backend?: string;
  startedAt: number;
  endedAt?: number;
  /** HTTP status, or how it ended without one. */
  status?: number | 'dropped' | 'client-gone' | 'no-backend';
  replay: boolean;
}

/** A delivery kept to be sent again (a duplicate delivery, as Cloud Tasks occasionally makes). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

interface Backend {
  url: URL;
  active: boolean;
  inFlight: number;
}

/**
 * The front door the emulator dispatches to, in front of the app instances (Cloud Run's role): round robin over the
 * active backends (keep-alive sockets towards them are dropped after 2 s idle, before the app's own 5 s keep-alive
 * timeout could close one under a new delivery); when a backend dies, its in-flight deliveries are
 * dropped (the client's socket is destroyed) and Cloud Tasks sees a network error, as on Cloud Run. With `record`,
 * it keeps every delivery's outcome and the last request of each key, so they can be replayed later.
 */
export class LoadBalancer {
  private readonly backends = new Map<string, Backend>();
  private readonly records: DeliveryRecord[] = [];
  private readonly lastRequests = new Map<string, RecordedRequest>();
  private next = 0;
  private pendingReplays = 0;
  /** Deliveries whose caller connection was destroyed because the instance went away under them. */
  dropped = 0;
  private readonly agent = new http.Agent({ keepAlive: true, timeout: 2_000 });

  private constructor(
    private readonly server: http.Server,
    private readonly record: boolean,
  ) {
    server.on('request', (req, res) => void this.handle(req, res));
  }

  static async start({ record = false }: { record?: boolean } = {}): Promise<LoadBalancer> {
    const server = http.createServer();
    // NOTE: never close an idle keep-alive socket: the dispatcher could reuse it at that moment and see a reset
    // the faults did not cause. Slow deliveries (minutes) must not time out here either.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    const balancer = new LoadBalancer(server, record);
    await listenLocal(server);
    return balancer;
  }

  get url(): string {
    return localUrl(this.server);
  }

  /** Adds (or re-points) a backend and makes it active. */
  add(name: string, url: string): void {
    const existing = this.backends.get(name);
    this.backends.set(name, { url: new URL(url), active: true, inFlight: existing?.inFlight ?? 0 });
  }

  /** Stops sending new deliveries to a backend (deliveries in flight continue). */
  remove(name: string): void {
    const backend = this.backends.get(name);
    if (backend) backend.active = false;
  }

  /** Deliveries in flight, on one backend or on all. */
  inFlight(name?: string): number {
    if (name !== undefined) return this.backends.get(name)?.inFlight ?? 0;
    let total = 0;
    for (const backend of this.backends.values()) total += backend.inFlight;
    return total;
  }

  /** Nothing in flight and no replay waiting. */
  get idle(): boolean {
    return this.inFlight() === 0 && this.pendingReplays === 0;
  }

  deliveries(): readonly DeliveryRecord[] {
    return this.records;
  }

  /** The last delivery of a key that went through (not a replay), to send again. */
  lastRequest(key: string): RecordedRequest | undefined {
    return this.lastRequests.get(key);
  }

  /** Sends a recorded request again through the balancer after `delayMs`; resolves with its status. */
  replay(request: RecordedRequest, delayMs = 0, timeoutMs = 30_000): Promise<number | 'error'> {
    this.pendingReplays++;
    return new Promise<void>((resolve) => setTimeout(resolve, delayMs))
      .then(() => this.send(request, timeoutMs))
      .finally(() => this.pendingReplays--);
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await closeServer(this.server);
  }

  private send(request: RecordedRequest, timeoutMs: number): Promise<number | 'error'> {
    const target = new URL(this.url);
    return new Promise((resolve) => {
      const req = http.request(
        { hostname: target.hostname, port: target.port, path: request.path, method: request.method, headers: { ...request.headers, [REPLAY_HEADER]: '1' }, agent: false, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve('error'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('replay timed out')));
      req.on('error', () => resolve('error'));
      req.end(request.body);
    });
  }

  private pick(): [string, Backend] | undefined {
    const active = [...this.backends.entries()].filter(([, b]) => b.active);
    if (active.length === 0) return undefined;
    return active[this.next++ % active.length];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const replay = req.headers[REPLAY_HEADER] === '1';
    const record: DeliveryRecord = { startedAt: Date.now(), replay };
    const body = await readBody(req).catch(() => undefined);
    if (body === undefined) return;
    const headers = withoutHopHeaders(req.headers);
    delete headers[REPLAY_HEADER];
    if (this.record) {
      record.key = keyOf(body);
      this.records.push(record);
      if (record.key && !replay) this.lastRequests.set(record.key, { method: req.method ?? 'POST', path: req.url ?? '/', headers, body });
    }
    const end = (status: DeliveryRecord['status']) => {
      record.endedAt ??= Date.now();
      record.status ??= status;
    };
    const picked = this.pick();
    if (!picked) {
      end('no-backend');
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"no instance available"}');
      return;
    }
    const [name, backend] = picked;
    record.backend = name;
    backend.inFlight++;
    let settled = false;
    const done = (status: DeliveryRecord['status']) => {
      if (settled) return;
      settled = true;
      backend.inFlight--;
      if (status === 'dropped') this.dropped++;
      end(status);
    };
    const upstream = http.request(
      {
        hostname: backend.url.hostname,
        port: backend.url.port,
        path: req.url,
        method: req.method,
        headers: { ...headers, host: backend.url.host, 'content-length': String(body.length) },
        agent: this.agent,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, withoutHopHeaders(response.headers));
        response.pipe(res);
        response.on('end', () => done(response.statusCode ?? 502));
        response.on('close', () => {
          if (!response.complete) {
            done('dropped');
            res.destroy();
          }
        });
      },
    );
    upstream.on('error', () => {
      // NOTE: the instance died (or reset the connection) under this delivery: drop the caller's connection too.
      done('dropped');
      res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        done('client-gone');
        upstream.destroy();
      }
    });
    upstream.end(body);
  }
}

function keyOf(body: Buffer): string | undefined {
  try {
    const key = (JSON.parse(body.toString('utf8')) as { idempotencyKey?: unknown }).idempotencyKey;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
