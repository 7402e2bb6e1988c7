import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandFromPath, parseJsonBody, toCommand, toCommands, type RedisCommand } from './command.parser.js';
import { encodeReply } from './reply.encoder.js';
import { RedisExecutor, type CommandOutcome } from './redis.executor.js';
import { RedisUnavailableError, UpstashLocalConfigError, UpstashLocalHttpError } from './upstash-local.errors.js';
import { StatsCounter, type Endpoint } from './upstash-local.stats.js';
import { SubscriptionStreams, type SubscriptionKind } from './subscription.stream.js';
import type { UpstashLocal, UpstashLocalOptions } from './upstash-local.types.js';

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const SYNC_TOKEN_HEADER = 'upstash-sync-token';

/**
 * Starts an HTTP server speaking the Upstash Redis REST protocol over a real Redis: `POST /` (one command as a JSON
 * array), `POST /pipeline`, `POST /multi-exec`, the path form (`GET /set/key/value`), Bearer auth, `Upstash-Encoding:
 * base64`. Also `GET /_stats` and `POST /_stats/reset` (authenticated) for counting round trips and commands.
 *
 * Status codes: 200 with `{result}` (or an array of `{result}`/`{error}` for pipelines and transactions), 400 with
 * `{error}` for a command error or a malformed body, 401 without a valid token, 413 over `maxBodyBytes`, 503 with
 * `{error}` while Redis is unreachable (the connection is re-established in the background).
 */
export async function startUpstashLocal(options: UpstashLocalOptions): Promise<UpstashLocal> {
  const config = resolveOptions(options);
  const executor = new RedisExecutor({
    redisUrl: config.redisUrl,
    commandTimeoutMs: config.commandTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    log: config.log,
  });
  const stats = new StatsCounter();
  const subscriptions = new SubscriptionStreams(config.redisUrl);
  const handler = new RequestHandler(config, executor, stats, subscriptions);
  const server = createServer((req, res) => void handler.handle(req, res));
  server.keepAliveTimeout = 5_000;

  try {
    await executor.waitForFirstConnection();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    executor.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    token: config.token,
    host: config.host,
    port,
    redisUrl: config.redisUrl,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        subscriptions.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
        executor.close();
      });
      return closing;
    },
  };
}

type ResolvedOptions = Required<UpstashLocalOptions>;

function resolveOptions(options: UpstashLocalOptions): ResolvedOptions {
  if (typeof options.token !== 'string' || options.token.length === 0) {
    throw new UpstashLocalConfigError('upstash-local needs a non-empty token (option "token", CLI --token).');
  }
  const resolved: ResolvedOptions = {
    token: options.token,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    redisUrl: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    log: options.log ?? (() => undefined),
  };
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535) {
    throw new UpstashLocalConfigError(`Invalid port ${String(options.port)}: expected an integer from 0 to 65535.`);
  }
  if (!/^rediss?:\/\//.test(resolved.redisUrl)) {
    throw new UpstashLocalConfigError(`Invalid Redis URL "${resolved.redisUrl}": expected redis://HOST:PORT (REDIS_URL, --redis-url).`);
  }
  for (const key of ['maxBodyBytes', 'commandTimeoutMs', 'connectTimeoutMs'] as const) {
    if (!(resolved[key] > 0)) throw new UpstashLocalConfigError(`Invalid ${key} ${String(resolved[key])}: expected a positive number.`);
  }
  return resolved;
}

class RequestHandler {
  private readonly token: Buffer;
  private syncToken = 0;

  constructor(
    private readonly config: ResolvedOptions,
    private readonly executor: RedisExecutor,
    private readonly stats: StatsCounter,
    private readonly subscriptions: SubscriptionStreams,
  ) {
    this.token = Buffer.from(config.token);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!this.authorized(req, url)) {
        this.stats.unauthorized();
        return send(res, 401, { error: 'Unauthorized' });
      }
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('Allow', 'GET, POST');
        return send(res, 405, { error: `ERR method ${req.method ?? ''} not allowed` });
      }
      const subscription = /^\/(subscribe|psubscribe)\/(.+)$/.exec(url.pathname);
      if (subscription && req.method === 'POST') {
        const targets = subscription[2].split('/').filter(Boolean).map(decodeSegment);
        this.count('command', [{ name: subscription[1].toUpperCase(), argv: [subscription[1], ...targets] }]);
        return this.subscriptions.serve(req, res, subscription[1] as SubscriptionKind, targets);
      }
      const body = await readBody(req, this.config.maxBodyBytes);
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
      const path = url.pathname.replace(/\/+$/, '') || '/';

      if (path === '/_stats' && req.method === 'GET') return send(res, 200, this.stats.snapshot());
      if (path === '/_stats/reset' && req.method === 'POST') {
        this.stats.reset();
        return send(res, 200, { result: 'OK' });
      }
      if (path === '/pipeline' || path === '/multi-exec') {
        if (req.method !== 'POST') {
          res.setHeader('Allow', 'POST');
          return send(res, 405, { error: `ERR ${path} accepts POST only` });
        }
        const commands = toCommands(parseJsonBody(body));
        const endpoint: Endpoint = path === '/pipeline' ? 'pipeline' : 'multiExec';
        this.count(endpoint, commands);
        const outcomes =
          endpoint === 'pipeline' ? await this.executor.pipeline(commands) : await this.executor.transaction(commands);
        this.stats.commandErrors(outcomes.filter((o) => !o.ok).length);
        return this.sendWithSync(res, 200, outcomes.map((o) => toEntry(o, base64)));
      }
      const command =
        path === '/' ? toCommand(parseJsonBody(body)) : commandFromPath(url.pathname, url.searchParams, body);
      this.count('command', [command]);
      const outcome = await this.executor.run(command);
      if (!outcome.ok) this.stats.commandErrors();
      return this.sendWithSync(res, outcome.ok ? 200 : 400, toEntry(outcome, base64));
    } catch (error) {
      if (error instanceof UpstashLocalHttpError) return send(res, error.status, { error: error.message });
      if (error instanceof RedisUnavailableError) {
        this.stats.redisUnavailable();
        return send(res, 503, { error: `ERR ${error.message}` });
      }
      const message = error instanceof Error ? error.message : String(error);
      return send(res, 500, { error: `ERR upstash-local internal error: ${message}` });
    }
  }

  private count(endpoint: Endpoint, commands: readonly RedisCommand[]): void {
    this.stats.request(
      endpoint,
      commands.map((c) => c.name),
    );
  }

  private sendWithSync(res: ServerResponse, status: number, payload: unknown): void {
    // NOTE: the client stores this header and sends it back (read-your-writes); one Redis makes any value consistent.
    this.syncToken += 1;
    res.setHeader(SYNC_TOKEN_HEADER, String(this.syncToken));
    send(res, status, payload);
  }

  private authorized(req: IncomingMessage, url: URL): boolean {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const presented = bearer ? bearer[1] : url.searchParams.get('_token');
    if (!presented) return false;
    const candidate = Buffer.from(presented);
    return candidate.length === this.token.length && timingSafeEqual(candidate, this.token);
  }
}

function toEntry(outcome: CommandOutcome, base64: boolean): { result: unknown } | { error: string } {
  return outcome.ok ? { result: encodeReply(outcome.reply, base64) } : { error: outcome.error };
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new UpstashLocalHttpError(400, `ERR malformed percent-encoding in ${segment}`);
  }
}

function tooLarge(maxBytes: number): UpstashLocalHttpError {
  return new UpstashLocalHttpError(413, `ERR request body exceeds the ${maxBytes}-byte limit`);
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent) return;
  const body = JSON.stringify(payload);
  if (status === 413) res.setHeader('Connection', 'close');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
