import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { CloudTasksModule } from '../../libs/cloud-tasks/src/index.js';
import { HTTP_ADAPTERS, type HttpAdapterName } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { queueConfig, RecordingLogger, scriptedHandler, testOptions } from '../../libs/cloud-tasks/src/testing/index.js';
import { createHttpApp } from '../../src/http-app.js';

const Ping = scriptedHandler('ping');
// NOTE: what a client wrote first can be anything; what the one trusted proxy appended is the caller's address.
const FORWARDED_FOR = '203.0.113.7, 198.51.100.9';

/** The example's HTTP app (src/http-app.ts) around a job endpoint that verifies tokens, trusting `hops` proxies. */
async function boot(adapter: HttpAdapterName, hops: number, logger: RecordingLogger): Promise<{ app: INestApplication; url: string }> {
  class RefusalModule {}
  const module = {
    module: RefusalModule,
    imports: [CloudTasksModule.forRoot(testOptions({ queues: { ping: queueConfig('ping-queue') }, emulatorHost: '127.0.0.1:1', auth: { mode: 'verify-signature', certsUrl: 'http://127.0.0.1:1/certs' } }))],
    providers: [Ping],
  };
  const app = await createHttpApp(module, { HTTP_ADAPTER: adapter, TRUST_PROXY_HOPS: hops }, { logger });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('a refused job token is logged with the address the app trusts and the user agent', () => {
    let app: INestApplication | undefined;

    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it.each([
      [0, /^(::ffff:)?127\.0\.0\.1$/],
      [1, /^198\.51\.100\.9$/],
    ])('TRUST_PROXY_HOPS=%s', async (hops, ip) => {
      const logger = new RecordingLogger();
      const booted = await boot(adapter, hops, logger);
      app = booted.app;
      const res = await fetch(`${booted.url}/api/jobs/ping`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cloudtasks-queuename': 'ping-queue', authorization: 'Bearer forged.token.here', 'user-agent': 'curl/8.5.0', 'x-forwarded-for': FORWARDED_FOR },
        body: '{}',
      });
      expect(res.status).toBe(401);
      const refusals = logger.entries.filter((e) => (e.message as { msg?: string }).msg === 'job request refused');
      expect(refusals).toEqual([{ level: 'warn', message: expect.objectContaining({ status: 401, jobName: 'ping', ip: expect.stringMatching(ip), userAgent: 'curl/8.5.0' }), context: 'CloudTasks' }]);
      expect(JSON.stringify(logger.entries)).not.toContain('forged.token.here');
    });
  });
});
