import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpJobDelivery } from '../../delivery/job-delivery.js';
import { JobHttpAdapter, restoreBodyHeaders, type JobAnswer } from './job-http.adapter.js';

/** The parts of Fastify the adapter uses (no compile-time dependency on fastify). */
interface FastifyRequestLike {
  raw: IncomingMessage;
  method: string;
  routeOptions?: { url?: string };
}
interface FastifyReplyLike {
  raw: ServerResponse;
  sent: boolean;
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string | number>): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}
interface FastifyInstanceLike {
  addHook(name: 'onRequest', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void): unknown;
}

/**
 * Fastify: the front door is an `onRequest` hook, which runs after routing and before content-type parsing. It opens
 * a delivery exactly when Fastify's router chose the job route (`…/{handlerPath}/:jobName`), so route matching and
 * body reading are one decision. Works with `app.listen()` and `app.inject()`.
 */
export class FastifyJobAdapter extends JobHttpAdapter {
  readonly type = 'fastify';

  install(handlerPath: string, instance: unknown): void {
    const route = `/${handlerPath}/:jobName`;
    (instance as FastifyInstanceLike).addHook('onRequest', (request, reply, done) => {
      if (request.method === 'POST' && request.routeOptions?.url?.endsWith(route)) this.open(request.raw, reply.raw);
      done();
    });
  }


  send(response: unknown, answer: JobAnswer, delivery: HttpJobDelivery | undefined): void {
    const reply = response as FastifyReplyLike;
    if (reply.sent) return;
    if (delivery) restoreBodyHeaders(delivery);
    const json = JSON.stringify(answer.body);
    reply.code(answer.status).headers(this.answerHeaders(answer, delivery, Buffer.byteLength(json))).send(json);
  }
}
