import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One fixed URL in front of whichever app instance is current, as a Cloud Run service URL stays the same while a new
 * revision takes the traffic. A request that cannot reach the target is answered 503, which Cloud Tasks retries.
 */
export interface SwitchableProxy {
  url: string;
  /** Sends every later request to `url`. */
  switchTo(url: string): void;
  close(): Promise<void>;
}

export async function startSwitchableProxy(initialTarget?: string): Promise<SwitchableProxy> {
  let target = initialTarget;
  const server: Server = createServer((req, res) => {
    if (!target) {
      res.writeHead(503).end('no target');
      return;
    }
    const to = new URL(req.url ?? '/', target);
    const upstream = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(503).end('target unreachable');
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    switchTo: (url) => {
      target = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
