#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startUpstashLocal } from './upstash-local.server.js';

const USAGE = `Usage: upstash-local --token TOKEN [--port 8079] [--host 127.0.0.1] [--redis-url redis://127.0.0.1:6379]

Serves the Upstash Redis REST API (POST /, /pipeline, /multi-exec, the path form) over a real Redis.
Point @upstash/redis at it with new Redis({ url: 'http://HOST:PORT', token: TOKEN }).

Options:
  --token TOKEN        Bearer token clients must send (or UPSTASH_LOCAL_TOKEN)
  --port PORT          TCP port (default 8079; 0 picks a free one)
  --host HOST          interface to bind (default 127.0.0.1)
  --redis-url URL      Redis to serve (default $REDIS_URL or redis://127.0.0.1:6379)
  --max-body-bytes N   largest request body (default 10485760)
  -h, --help           show this help`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        token: { type: 'string' },
        port: { type: 'string', default: '8079' },
        host: { type: 'string', default: '127.0.0.1' },
        'redis-url': { type: 'string' },
        'max-body-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const token = values.token ?? process.env.UPSTASH_LOCAL_TOKEN;
  if (!token) {
    process.stderr.write(`Missing --token.\n\n${USAGE}\n`);
    return 2;
  }
  const server = await startUpstashLocal({
    token,
    port: Number(values.port),
    host: values.host,
    redisUrl: values['redis-url'],
    maxBodyBytes: values['max-body-bytes'] === undefined ? undefined : Number(values['max-body-bytes']),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`upstash-local listening url=${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`upstash-local failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
