import { readFileSync } from 'node:fs';
import { AppEnvError, loadAppEnv } from './app-env.js';

describe('loadAppEnv', () => {
  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const read = Object.keys(loadAppEnv({}));
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('takes a per-job transport routing, with the BullMQ Redis it needs', () => {
    const env = loadAppEnv({ JOB_TRANSPORTS: 'calendar-sync=bullmq', BULLMQ_REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(env).toMatchObject({ JOB_TRANSPORTS: 'calendar-sync=bullmq', BULLMQ_REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('refuses a routing to bullmq without BULLMQ_REDIS_URL, and a malformed routing, naming the fix', () => {
    expect(() => loadAppEnv({ JOB_TRANSPORTS: 'calendar-sync=bullmq' })).toThrow(/routes jobs to bullmq: set BULLMQ_REDIS_URL/);
    expect(() => loadAppEnv({ JOB_TRANSPORTS: 'calendar-sync:bullmq' })).toThrow(AppEnvError);
    expect(() => loadAppEnv({ JOB_TRANSPORTS: 'calendar-sync:bullmq' })).toThrow(/JOB_TRANSPORTS: Invalid transport routing entry "calendar-sync:bullmq"/);
  });

  it('on Cloud Run (K_SERVICE) is in production and lists every missing GCP setting at once', () => {
    expect(() => loadAppEnv({ K_SERVICE: 'catchup', NODE_ENV: 'development' })).toThrow(/On Cloud Run .* needs GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_URL, SERVICE_ACCOUNT_EMAIL/);
  });
});
