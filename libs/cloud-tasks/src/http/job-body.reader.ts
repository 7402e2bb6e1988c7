import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';

type Next = (error?: unknown) => void;
interface RawRequest extends IncomingMessage {
  rawBody?: Buffer;
  body?: unknown;
  _body?: boolean;
}
interface ExpressLikeApp {
  use(fn: (req: RawRequest, res: ServerResponse, next: Next) => void): unknown;
  router?: { stack?: unknown[] };
  _router?: { stack?: unknown[] };
}

/**
 * Reads the job endpoint's body itself, up to `maxTaskBytes` (413 beyond), before any app-wide body parser:
 * Express' JSON parser stops at 100 kB by default, which would turn large (valid) tasks into endless retries.
 * The raw bytes are parsed later, after authentication. Other routes are untouched.
 */
@Injectable()
export class JobBodyReader implements OnModuleInit {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter?.getInstance?.() as ExpressLikeApp | undefined;
    if (!app || typeof app.use !== 'function') return;
    app.use(this.middleware());
    const stack = app.router?.stack ?? app._router?.stack;
    if (!Array.isArray(stack)) {
      this.logger.warn(`Could not place the job body reader before the app's body parsers: make sure their JSON limit is at least ${this.options.maxTaskBytes} bytes.`);
      return;
    }
    // NOTE: app.use() appends; move our layer to the front so it runs before Nest's json/urlencoded parsers.
    stack.unshift(stack.pop());
  }

  /** The middleware, exposed for adapters that register it themselves. */
  middleware() {
    const suffix = new RegExp(`/${this.options.handlerPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^/?]+/?(\\?|$)`);
    const limit = this.options.maxTaskBytes;
    const requiresToken = this.options.auth.mode !== 'none';
    return (req: RawRequest, res: ServerResponse, next: Next): void => {
      if (req.method !== 'POST' || !suffix.test(req.url ?? '')) return next();
      if (requiresToken && !/^Bearer\s/i.test(req.headers.authorization ?? '')) {
        // NOTE: no token, no buffering: drain the body unread and let the guard answer 401.
        req.resume();
        req.rawBody = Buffer.alloc(0);
        req._body = true;
        return next();
      }
      const declared = Number(req.headers['content-length']);
      if (declared > limit) return tooLarge(req, res, limit);
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > limit) {
          done = true;
          tooLarge(req, res, limit);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (done) return;
        done = true;
        req.rawBody = Buffer.concat(chunks, size);
        req.body = undefined;
        // NOTE: body-parser skips requests flagged as parsed, so the app's parsers leave this one alone.
        req._body = true;
        next();
      });
      req.on('error', (error) => {
        if (done) return;
        done = true;
        next(error);
      });
    };
  }
}

function tooLarge(req: RawRequest, res: ServerResponse, limit: number): void {
  res.statusCode = 413;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Connection', 'close');
  res.end(JSON.stringify({ error: `Request body exceeds ${limit} bytes (maxTaskBytes)` }));
  req.resume();
}
