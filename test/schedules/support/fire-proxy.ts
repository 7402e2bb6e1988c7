import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the next fires of one Cloud Scheduler job. */
export type FireFault = 'fail' | 'lose-answer';

/** One fire as the app answered it (fires the proxy failed itself never reach the app). */
export interface ForwardedFire {
  schedulerJob: string;
  scheduleTime: string;
  status: number;
  body: string;
}

/**
 * The service URL Cloud Scheduler and Cloud Tasks call, in front of the app: it forwards every request, except fires
 * of a job given faults. `fail` answers 500 without reaching the app (the service is down); `lose-answer` forwards
 * the fire, then answers 500 whatever the app said (the answer was lost on the way back), so Cloud Scheduler retries
 * a fire the app already took.
 */
export interface FireProxy {
  url: string;
  /** The next `count` fires of `schedulerJob` meet `fault`. */
  inject(schedulerJob: string, fault: FireFault, count: number): void;
  forwarded(schedulerJob: string): ForwardedFire[];
  close(): Promise<void>;
}

export async function startFireProxy(target: string): Promise<FireProxy> {
  const faults = new Map<string, { fault: FireFault; left: number }>();
  const forwarded: ForwardedFire[] = [];
  const server: Server = createServer((req, res) => {
    const job = req.headers['x-cloudscheduler-jobname'] as string | undefined;
    const planned = job ? faults.get(job) : undefined;
    const fault = planned && planned.left > 0 ? planned.fault : undefined;
    if (planned && fault) planned.left--;
    if (fault === 'fail') {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/plain' }).end('injected: service unavailable');
      return;
    }
    const to = new URL(req.url ?? '/', target);
    const upstream = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (job) forwarded.push({ schedulerJob: job, scheduleTime: String(req.headers['x-cloudscheduler-scheduletime']), status: answer.statusCode ?? 0, body: body.toString() });
        if (fault === 'lose-answer') res.writeHead(500, { 'content-type': 'text/plain' }).end('injected: answer lost');
        else res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
      });
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(503).end('target unreachable');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject: (schedulerJob, fault, count) => faults.set(schedulerJob, { fault, left: count }),
    forwarded: (schedulerJob) => forwarded.filter((f) => f.schedulerJob === schedulerJob),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
