import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { HttpJobDelivery } from '../../delivery/job-delivery.js';
import { JobHttpAdapter, restoreBodyHeaders, type JobAnswer } from './job-http.adapter.js';
import { jobPathMatcher } from './job-path.matcher.js';

/**
 * Express: the front door is a listener on the Node server that runs before Express sees the request (so before any
 * `app.use()` parser). It opens a delivery for every `POST` whose path Express could route to the job endpoint
 * (case-insensitively, with or without a trailing slash, under any global prefix). Answers are written on the Node
 * response directly: no ETag, no serializer settings, one write.
 */
export class ExpressJobAdapter extends JobHttpAdapter {
  readonly type = 'express';

  install(handlerPath: string, _instance: unknown, server: unknown): void {
    const matches = jobPathMatcher(handlerPath);
    (server as Server).prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.method === 'POST' && matches(request.url ?? '')) this.open(request, response);
    });
  }


  send(response: unknown, answer: JobAnswer, delivery: HttpJobDelivery | undefined): void {
    const res = response as ServerResponse;
    if (res.headersSent) return;
    if (delivery) restoreBodyHeaders(delivery);
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.status, this.answerHeaders(answer, delivery, Buffer.byteLength(json)));
    res.end(json);
  }
}
