import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What {@link getJson} answers: the status, one header, and the parsed body (undefined when it was not JSON). */
export interface JsonResponse {
  status: number;
  header(name: string): string | undefined;
  body: unknown;
}

/**
 * `GET url` with `Accept: application/json`, over `node:http`/`node:https` rather than `fetch`: the first `fetch` of a
 * process loads Node's bundled undici (30–50 ms of CPU), which the module would otherwise pay at every cold start for
 * one small request (the signing certificates, the emulator's clock). No redirects; a body over `maxBytes` is an error.
 */
export function getJson(url: string, { timeoutMs, maxBytes = 1024 * 1024 }: { timeoutMs: number; maxBytes?: number }): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'GET', headers: { accept: 'application/json' }, timeout: timeoutMs });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          reject(new Error(`GET ${url} answered more than ${maxBytes} bytes`));
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        if (bytes > maxBytes) return;
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        const header = (name: string) => {
          const value = response.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        };
        resolve({ status: response.statusCode ?? 0, header, body });
      });
    });
    request.end();
  });
}
