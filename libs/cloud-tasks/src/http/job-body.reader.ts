import { Injectable } from '@nestjs/common';
import { BODY_TOO_LARGE, BODY_READERS_BUSY } from '../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { HttpJobDelivery } from '../delivery/job-delivery.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { restoreBodyHeaders } from './adapters/job-http.adapter.js';
import { JobRequestRefusal } from './job-request.refusal.js';

/**
 * Reads a job request's body, after its token passed: at most `maxTaskBytes` (413 beyond, before reading when the
 * declared length says so), and at most `maxBodyBytesInFlight` bytes of all job bodies being read at once in the
 * process (503 with `Retry-After` beyond: Cloud Tasks retries later), so slow bodies cannot grow memory without bound.
 */
@Injectable()
export class JobBodyReader {
  private inFlight = 0;

  constructor(@InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions) {}

  /** Bytes of job bodies being read right now. */
  get bytesInFlight(): number {
    return this.inFlight;
  }

  read(delivery: HttpJobDelivery): Promise<Buffer> {
    const limit = this.options.maxTaskBytes;
    const lengthHeader = delivery.hidden['content-length'];
    const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (declared !== undefined && declared > limit) return Promise.reject(new JobRequestRefusal(413, BODY_TOO_LARGE(limit)));
    if (declared === 0) return Promise.resolve(this.done(delivery, Buffer.alloc(0)));
    let reserved = 0;
    const reserve = (bytes: number): boolean => {
      if (this.inFlight + bytes > this.options.maxBodyBytesInFlight) return false;
      this.inFlight += bytes;
      reserved += bytes;
      return true;
    };
    if (declared !== undefined && !reserve(declared)) return Promise.reject(busy());
    return new Promise<Buffer>((resolve, reject) => {
      const request = delivery.request;
      // NOTE: with a declared length the body goes straight into one buffer of that size; chunked bodies are collected.
      const whole = declared !== undefined ? Buffer.allocUnsafe(declared) : undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (error?: Error, body?: Buffer) => {
        request.removeListener('data', onData).removeListener('end', onEnd).removeListener('error', onError).removeListener('close', onClose);
        this.inFlight -= reserved;
        reserved = 0;
        if (error) {
          request.pause();
          reject(error);
        } else resolve(this.done(delivery, body!));
      };
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > limit) return finish(new JobRequestRefusal(413, BODY_TOO_LARGE(limit)));
        if (whole) {
          if (size + chunk.length > whole.length) return finish(new JobRequestRefusal(400, 'Request body is longer than its Content-Length'));
          chunk.copy(whole, size);
        } else {
          if (!reserve(chunk.length)) return finish(busy());
          chunks.push(chunk);
        }
        size += chunk.length;
      };
      const onEnd = () => finish(undefined, whole ? whole.subarray(0, size) : Buffer.concat(chunks, size));
      const onError = (error: Error) => finish(error);
      const onClose = () => finish(new Error('The client closed the connection while sending the body'));
      request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    });
  }

  private done(delivery: HttpJobDelivery, body: Buffer): Buffer {
    restoreBodyHeaders(delivery);
    delivery.set('body', body);
    return body;
  }
}

function busy(): JobRequestRefusal {
  return new JobRequestRefusal(503, BODY_READERS_BUSY, { 'retry-after': '1' });
}
