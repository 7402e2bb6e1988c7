/** Where the BullMQ transport's Redis is (the options BullMQ passes to ioredis). */
export interface BullmqConnection {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  /** TLS options for ioredis, or `{}` for TLS with the defaults. */
  tls?: Record<string, unknown>;
}

/** Options of the BullMQ transport (`transport.bullmq`). */
export interface BullmqTransportOptions {
  /** The Redis of the BullMQ queues: ioredis options, or a `redis://` / `rediss://` URL. */
  connection: BullmqConnection;
  /** BullMQ's key prefix (default `bull`, BullMQ's own). */
  prefix?: string;
  /** Jobs run at once per queue when its config has no `rateLimits.maxConcurrentDispatches` (default 10). */
  concurrency?: number;
}

/** `redis://user:pass@host:port/db` (or `rediss://`) → ioredis options. */
export function bullmqConnectionOf(value: string | BullmqConnection): BullmqConnection {
  if (typeof value !== 'string') return value;
  const url = new URL(value);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
