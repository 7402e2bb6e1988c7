import { Redis } from 'ioredis';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type SubscriptionKind = 'subscribe' | 'psubscribe';

/** Open event streams, so the server can end them on close. */
export class SubscriptionStreams {
  private readonly open = new Set<() => void>();

  constructor(private readonly redisUrl: string) {}

  /**
   * Serves `POST /subscribe/<channel>` or `/psubscribe/<pattern>` the way Upstash does: a kept-open
   * `text/event-stream` of `data: subscribe,<channel>,<count>` then `data: message,<channel>,<payload>` lines
   * (`psubscribe` / `pmessage,<pattern>,<channel>,<payload>` for patterns), payloads raw (never base64). One Redis
   * connection per stream, closed when the client goes away.
   */
  serve(req: IncomingMessage, res: ServerResponse, kind: SubscriptionKind, targets: string[]): void {
    // NOTE: the client posts "[]" as body; the path names the channels.
    req.resume();
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null, lazyConnect: true });
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.open.delete(end);
      redis.disconnect(false);
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    res.on('close', end);
    redis.on('error', () => undefined);
    redis.on('end', end);
    const write = (line: string): void => {
      if (!ended) res.write(`data: ${line}\n\n`);
    };
    redis.on('message', (channel: string, message: string) => write(`message,${channel},${message}`));
    redis.on('pmessage', (pattern: string, channel: string, message: string) => write(`pmessage,${pattern},${channel},${message}`));
    void (async () => {
      try {
        await redis.connect();
        let count = 0;
        for (const target of targets) {
          count = (await (kind === 'subscribe' ? redis.subscribe(target) : redis.psubscribe(target))) as number;
          if (!res.headersSent) {
            res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
          }
          write(`${kind},${target},${count}`);
        }
      } catch (error) {
        if (!res.headersSent) {
          const body = JSON.stringify({ error: `ERR Redis is unavailable for ${kind}: ${(error as Error).message}` });
          res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        }
        end();
      }
    })();
  }

  /** Ends every open stream and its Redis connection. */
  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}
