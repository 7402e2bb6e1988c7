import type { IncomingMessage, ServerResponse } from 'node:http';
import { JobDelivery, type HiddenBodyHeaders, type HttpJobDelivery } from '../../delivery/job-delivery.js';

/** An answer of the job endpoint, as the HTTP adapter writes it. */
export interface JobAnswer {
  status: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

const DELIVERY = Symbol('cloud-tasks:delivery');
const BODY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'] as const;

type TaggedRequest = IncomingMessage & { [DELIVERY]?: HttpJobDelivery };

/**
 * The HTTP framework under the app (Express or Fastify), as the job endpoint needs it: a front door that sees each job
 * request before any framework body parser, and a way to answer. The front door opens a {@link JobDelivery} and
 * hides the body headers (`Content-Type`, `Content-Length`, `Transfer-Encoding`) from the framework, so that no
 * app-wide parser reads, buffers or judges the body: the job endpoint reads it itself, after the token passed.
 */
export abstract class JobHttpAdapter {
  /** `express` or `fastify`. */
  abstract readonly type: string;

  /**
   * Installs the front door for `POST …/{handlerPath}/:jobName` on the running app.
   * @param instance the framework instance (`HttpAdapterHost.httpAdapter.getInstance()`).
   * @param server the Node HTTP server (`HttpAdapterHost.httpAdapter.getHttpServer()`).
   */
  abstract install(handlerPath: string, instance: unknown, server: unknown): void;

  /** Writes `answer` on the framework response. */
  abstract send(response: unknown, answer: JobAnswer, delivery: HttpJobDelivery | undefined): void;

  /** Opens the delivery of a job request: hides its body headers from the framework. */
  protected open(request: IncomingMessage, response: ServerResponse): void {
    const headers = request.headers;
    const hidden: HiddenBodyHeaders = {};
    for (const name of BODY_HEADERS) {
      const value = headers[name];
      if (value === undefined) continue;
      hidden[name] = value as string;
      delete headers[name];
    }
    (request as TaggedRequest)[DELIVERY] = new JobDelivery(request, response, hidden) as HttpJobDelivery;
  }

  /** Headers to send with an answer: the body's, plus `Connection: close` when the request body was never read. */
  protected answerHeaders(answer: JobAnswer, delivery: HttpJobDelivery | undefined, length: number): Record<string, string | number> {
    const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': length, ...answer.headers };
    // NOTE: a refused request's body is not read; closing the connection spares reading (and discarding) the rest.
    if (delivery && !delivery.has('body') && !delivery.request.complete) headers.connection = 'close';
    return headers;
  }
}

/**
 * The delivery the front door opened for a framework request (Express' request is the Node request; Fastify's
 * carries it in `raw`), or undefined when the request did not come through it.
 */
export function deliveryOf(request: unknown): HttpJobDelivery | undefined {
  const tagged = request as (TaggedRequest & { raw?: TaggedRequest }) | undefined;
  return tagged?.[DELIVERY] ?? tagged?.raw?.[DELIVERY];
}

/** Puts the hidden body headers back (after the body was read, or before answering), for anything logging them. */
export function restoreBodyHeaders(delivery: HttpJobDelivery): void {
  const headers = delivery.request.headers;
  for (const [name, value] of Object.entries(delivery.hidden)) if (headers[name] === undefined) headers[name] = value;
}
