import { afterEach, beforeAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { startUpstashLocal } from '../../../src/index.js';
import type { UpstashLocal } from '../../../src/upstash-local.types.js';
import { settleAsyncAssertions } from './shim/bun-test.js';
import { target } from './shim/test-utils.js';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A private redis-server for the suite: it flushes the database, so it never runs against the shared Redis. */
async function startPrivateRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 200; i++) {
    const ready = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let server: UpstashLocal;

// NOTE: imported before the ported files, so this runs before any of their hooks and tests.
beforeAll(async () => {
  redis = await startPrivateRedis();
  server = await startUpstashLocal({ token: 'redis-js-suite-token', redisUrl: redis.url });
  target.url = server.url;
  target.token = server.token;
  process.env.UPSTASH_REDIS_REST_URL = server.url;
  process.env.UPSTASH_REDIS_REST_TOKEN = server.token;
  process.env.UPSTASH_DISABLE_TELEMETRY = '1';
}, 30_000);

afterEach(settleAsyncAssertions);

/** Stops the server and Redis: registered by teardown.ts, imported after the suite, so it runs after the suite's own afterAll hooks. */
export async function stopSuiteServers(): Promise<void> {
  await server?.close();
  await redis?.stop();
}
