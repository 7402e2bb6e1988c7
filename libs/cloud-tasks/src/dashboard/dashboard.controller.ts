import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Post, Query, Req, Res, UseGuards, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { CSRF_FIELD } from './dashboard.constants.js';
import { DashboardCsrf } from './dashboard-csrf.js';
import { DashboardAccess } from './dashboard-access.js';
import { DashboardAccessGuard } from './dashboard-access.guard.js';
import { DASHBOARD_CSRF_REFUSED } from './dashboard.messages.js';
import { DashboardPages } from './dashboard.pages.js';
import { DASHBOARD_CSP, type PageFrame } from './dashboard.view.js';

/** The request as both adapters give it to a handler (Express: IncomingMessage; Fastify: its request, `raw` inside). */
interface PageRequest {
  headers: IncomingHttpHeaders;
  url: string;
  originalUrl?: string;
  body?: unknown;
  raw?: IncomingMessage;
  socket?: IncomingMessage['socket'];
}

const DEAD_LETTER_ID = /^[A-Za-z0-9_-]{1,128}$/;
const NOTICES: Record<string, string> = {
  retried: 'Retried: the job was enqueued again under a fresh idempotency key (see "Retried" below).',
  discarded: 'Dead letter discarded.',
};

/**
 * The dashboard's routes, under the configured path (set from the options when the module is built, like the job
 * endpoint's): `GET /` the overview, `GET /dead-letters/:id` one dead letter (masked data), `POST …/retry` and
 * `POST …/discard` (CSRF-checked, answered with a 303 to a page). Every route is behind {@link DashboardAccessGuard}.
 */
export function createDashboardController(): Type {
  @Controller()
  @UseGuards(DashboardAccessGuard)
  class CloudTasksDashboardController {
    constructor(
      private readonly pages: DashboardPages,
      private readonly deadLetters: DeadLetterService,
      private readonly access: DashboardAccess,
      private readonly csrf: DashboardCsrf,
      @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    ) {}

    @Get()
    async overview(@Req() request: PageRequest, @Res() response: unknown, @Query('done') done?: string): Promise<void> {
      const frame = this.frame(request, response, 0);
      if (done === 'discarded') frame.notice = NOTICES.discarded;
      this.send(response, 200, await this.pages.overview(frame));
    }

    @Get('dead-letters/:id')
    async deadLetter(@Req() request: PageRequest, @Res() response: unknown, @Param('id') id: string, @Query('done') done?: string): Promise<void> {
      const frame = this.frame(request, response, 2);
      if (done === 'retried') frame.notice = NOTICES.retried;
      const page = DEAD_LETTER_ID.test(id) ? await this.pages.deadLetter(id, frame) : undefined;
      if (!page) throw new NotFoundException(`No dead letter ${id.slice(0, 128)}`);
      this.send(response, 200, page);
    }

    @Post('dead-letters/:id/retry')
    async retry(@Req() request: PageRequest, @Res() response: unknown, @Param('id') id: string): Promise<void> {
      const base = this.checkForm(request, id);
      await this.deadLetters.retry(id);
      this.host.httpAdapter.redirect(response, 303, `${base}/dead-letters/${encodeURIComponent(id)}?done=retried`);
    }

    @Post('dead-letters/:id/discard')
    async discard(@Req() request: PageRequest, @Res() response: unknown, @Param('id') id: string): Promise<void> {
      const base = this.checkForm(request, id);
      if (!(await this.deadLetters.discard(id))) throw new NotFoundException(`No dead letter ${id}`);
      this.host.httpAdapter.redirect(response, 303, `${base}?done=discarded`);
    }

    /** The frame of a page; sets the CSRF cookie when the browser has none yet. */
    private frame(request: PageRequest, response: unknown, segments: number): PageFrame {
      const base = baseOf(request, segments);
      const pair = this.csrf.issue(request.headers, this.access.identityOf(request));
      if (pair.fresh) this.host.httpAdapter.setHeader(response, 'Set-Cookie', this.csrf.cookie(pair.nonce, base || '/', isHttps(request)));
      return { base, now: Date.now(), access: this.access.noteOf(request), location: this.pages.location, csrf: pair.token };
    }

    /** Refuses (403) a form without this dashboard's CSRF token; resolves the dashboard's base path. */
    private checkForm(request: PageRequest, id: string): string {
      const token = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>)[CSRF_FIELD] : undefined;
      if (!this.csrf.verify(request.headers, token, this.access.identityOf(request))) throw new ForbiddenException(DASHBOARD_CSRF_REFUSED);
      if (!DEAD_LETTER_ID.test(id)) throw new NotFoundException(`No dead letter ${id.slice(0, 128)}`);
      return baseOf(request, 3);
    }

    private send(response: unknown, status: number, page: string): void {
      const http = this.host.httpAdapter;
      http.setHeader(response, 'Content-Type', 'text/html; charset=utf-8');
      http.setHeader(response, 'Cache-Control', 'no-store');
      http.setHeader(response, 'Content-Security-Policy', DASHBOARD_CSP);
      http.setHeader(response, 'X-Content-Type-Options', 'nosniff');
      http.setHeader(response, 'X-Frame-Options', 'DENY');
      http.setHeader(response, 'Referrer-Policy', 'same-origin');
      http.reply(response, page, status);
    }
  }
  return CloudTasksDashboardController;
}

/**
 * The dashboard's path as the browser sees it (with any global prefix): the request path without the segments of the
 * route (`segments` = 0 for the overview, 2 for `dead-letters/:id`, 3 for its actions), which the router matched.
 */
function baseOf(request: PageRequest, segments: number): string {
  // NOTE: only the path: a request-target in absolute form (`POST http://host/…`) must not put a host in links or redirects.
  const path = new URL(request.originalUrl ?? request.url, 'http://dashboard.invalid').pathname.replace(/\/+$/, '');
  return segments === 0 ? path : path.split('/').slice(0, -segments).join('/');
}

function isHttps(request: PageRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  const socket = (request.raw ?? request).socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined;
  return proto?.split(',')[0].trim() === 'https' || socket?.encrypted === true;
}
