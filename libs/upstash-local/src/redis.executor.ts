import { Redis } from 'ioredis';
import { unsupportedReason, type RedisCommand } from './command.parser.js';
import { ScriptFlags } from './script-flags.js';
import { upstashAnswer } from './upstash.compat.js';
import { RedisUnavailableError, UpstashLocalHttpError } from './upstash-local.errors.js';

/** What one command produced: a raw ioredis reply or a Redis error message. */
export type CommandOutcome = { ok: true; reply: unknown } | { ok: false; error: string };

export interface RedisExecutorOptions {
  redisUrl: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  log: (line: string) => void;
}

/** Runs commands on one shared ioredis connection that fails fast while Redis is unreachable. */
export class RedisExecutor {
  private readonly redis: Redis;
  private readonly scripts = new ScriptFlags();
  private down = false;
  private closed = false;

  constructor(private readonly options: RedisExecutorOptions) {
    this.redis = new Redis(options.redisUrl, {
      // NOTE: no offline queue and one retry: requests fail fast with 503 while Redis is down instead of hanging.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      retryStrategy: (times) => Math.min(times * 50, 500),
      lazyConnect: false,
      // NOTE: ioredis arms this timer on disconnect even for a socket that never connected; keep it short for clean exits.
      disconnectTimeout: 100,
    });
    this.redis.on('error', (error: Error) => {
      if (this.down || this.closed) return;
      this.down = true;
      options.log(`upstash-local redis unavailable url=${redact(options.redisUrl)} error=${error.message}`);
    });
    this.redis.on('ready', () => {
      if (!this.down) return;
      this.down = false;
      options.log(`upstash-local redis ready url=${redact(options.redisUrl)}`);
    });
  }

  /** Resolves once connected, on the first connection error, or after the connect timeout, whichever is first. */
  async waitForFirstConnection(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        this.redis.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, this.options.connectTimeoutMs);
      this.redis.once('ready', done);
      this.redis.once('error', done);
    });
  }

  async run(sent: RedisCommand): Promise<CommandOutcome> {
    const refused = unsupportedReason(sent);
    if (refused) return { ok: false, error: refused };
    this.assertReady();
    try {
      const answer = this.answerOf(sent);
      const command = this.scripts.rewrite(sent);
      return { ok: true, reply: answer ? await answer(this.redis) : await this.redis.callBuffer(command.name, command.argv.slice(1)) };
    } catch (error) {
      return this.toOutcome(error);
    }
  }

  async pipeline(commands: readonly RedisCommand[]): Promise<CommandOutcome[]> {
    const outcomes: (CommandOutcome | undefined)[] = commands.map((command) => {
      const refused = unsupportedReason(command);
      return refused ? { ok: false, error: refused } : undefined;
    });
    const runnable = commands.filter((_, index) => outcomes[index] === undefined);
    if (runnable.length === 0) return outcomes as CommandOutcome[];
    // NOTE: a pipeline holding a command answered the Upstash way runs command by command (in order, not atomic either way).
    if (runnable.some((command) => this.answerOf(command) !== undefined)) {
      const sequential: CommandOutcome[] = [];
      for (const command of commands) sequential.push(await this.run(command));
      return sequential;
    }
    this.assertReady();
    const pipeline = this.redis.pipeline();
    for (const command of runnable.map((c) => this.scripts.rewrite(c))) pipeline.callBuffer(command.name, command.argv.slice(1));
    const results = await this.execOrUnavailable(() => pipeline.exec());
    let next = 0;
    return outcomes.map((outcome) => outcome ?? this.fromTuple(results?.[next++]));
  }

  async transaction(commands: readonly RedisCommand[]): Promise<CommandOutcome[]> {
    const refused = commands.map(unsupportedReason).find((reason) => reason !== undefined);
    if (refused) {
      throw new UpstashLocalHttpError(400, `EXECABORT Transaction discarded because of previous errors: ${refused}`);
    }
    this.assertReady();
    const multi = this.redis.multi();
    for (const command of commands.map((c) => this.scripts.rewrite(c))) multi.callBuffer(command.name, command.argv.slice(1));
    const results = await this.execOrUnavailable(() => multi.exec());
    if (!results) throw new UpstashLocalHttpError(400, 'EXECABORT Transaction discarded');
    return results.map((tuple) => this.fromTuple(tuple));
  }

  /** How a command is answered when Upstash answers it differently from Redis; undefined to send it to Redis. */
  private answerOf(command: RedisCommand): ((redis: Redis) => Promise<unknown>) | undefined {
    return upstashAnswer(command) ?? this.scripts.answer(command);
  }

  /** Disconnects without waiting for pending replies; stops reconnecting. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.redis.disconnect(false);
  }

  private assertReady(): void {
    if (this.redis.status !== 'ready') {
      throw new RedisUnavailableError(`Redis is unavailable at ${redact(this.options.redisUrl)} (connection ${this.redis.status})`);
    }
  }

  private async execOrUnavailable<T>(exec: () => Promise<T>): Promise<T> {
    try {
      return await exec();
    } catch (error) {
      if (isReplyError(error)) throw new UpstashLocalHttpError(400, replyMessage(error));
      throw this.unavailable(error);
    }
  }

  private fromTuple(tuple: [Error | null, unknown] | undefined): CommandOutcome {
    if (!tuple) throw new RedisUnavailableError('Redis returned no reply for a pipelined command');
    const [error, reply] = tuple;
    return error ? this.toOutcome(error) : { ok: true, reply };
  }

  private toOutcome(error: unknown): CommandOutcome {
    if (isReplyError(error)) return { ok: false, error: replyMessage(error) };
    throw this.unavailable(error);
  }

  private unavailable(error: unknown): RedisUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    return new RedisUnavailableError(`Redis is unavailable at ${redact(this.options.redisUrl)}: ${reason}`);
  }
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

function replyMessage(error: Error): string {
  const previous = (error as Error & { previousErrors?: unknown }).previousErrors;
  if (Array.isArray(previous) && previous.length > 0) {
    const reasons = previous.map((e: unknown) => (e instanceof Error ? e.message.trim() : String(e)));
    return `${error.message.replace(/\.$/, '')}: ${reasons.join('; ')}`;
  }
  return error.message;
}

/** The URL without its password, for logs and error messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
