import { randomUUID } from 'node:crypto';
import { envelopeBody } from '../lib/bench-context.js';
import { ADAPTERS, type BenchAdapter } from '../lib/config.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_JOB, BENCH_SERVICE_ACCOUNT, benchHeaders, benchPayload } from '../lib/fixtures.js';
import { runHttpLoad } from '../lib/http-load.js';
import { BenchWorker } from '../lib/ipc.js';
import { LocalOidcIssuer } from '../lib/oidc-issuer.js';

/**
 * Loads one route of the bench app alone, to profile it: `node dist/bench/tools/profile-chain.js [express|fastify]
 * [chain|bare] [seconds]` with `BENCH_WORKER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof"`. Prints req/s and
 * app CPU per request; the profile is written by the app worker when it exits. `BENCH_ALLOCATIONS=FILE.heapprofile`
 * records what the measured run allocates instead (V8's sampling heap profiler, collected objects included).
 */
async function main(): Promise<void> {
  const [adapterArg = 'express', route = 'chain', secondsArg = '10'] = process.argv.slice(2);
  if (!(ADAPTERS as readonly string[]).includes(adapterArg)) throw new Error(`adapter must be one of ${ADAPTERS.join(', ')}`);
  const adapter = adapterArg as BenchAdapter;
  const issuer = await LocalOidcIssuer.start();
  const app = await BenchWorker.start('app.worker', `app on ${adapter}`);
  try {
    const { url } = await app.call<{ url: string }>('boot', { adapter, certsUrl: issuer.certsUrl, concurrency: 50 });
    const token = issuer.sign({ iss: BENCH_ISSUER, aud: BENCH_AUDIENCE, email: BENCH_SERVICE_ACCOUNT, email_verified: true });
    const runId = `profile-${randomUUID().slice(0, 8)}`;
    let seq = 0;
    const body = () => envelopeBody(BENCH_JOB, benchPayload(runId, seq), `${runId}-${seq++}`);
    const path = route === 'bare' ? '/bench/bare' : `/api/jobs/${BENCH_JOB}`;
    const warm = await runHttpLoad({ url, path, headers: benchHeaders(token), body, connections: 10, duration: 3 });
    const allocations = process.env.BENCH_ALLOCATIONS;
    if (allocations) await app.call('allocationsStart', {});
    const cpu0 = await app.cpu();
    const result = await runHttpLoad({ url, path, headers: benchHeaders(token), body, connections: 10, duration: Number(secondsArg) });
    const cpu1 = await app.cpu();
    if (allocations) await app.call('allocationsStop', { path: allocations });
    const responses = Object.values(result.statuses).reduce((n, c) => n + c, 0);
    process.stdout.write(`${adapter} ${route}: ${Math.round(result.rps)} req/s, ${((cpu1.totalMs - cpu0.totalMs) / responses).toFixed(4)} ms CPU per request, statuses ${JSON.stringify(result.statuses)}; ${seq} requests in the profile (warm-up ${warm.ok}), ${result.ok} in the measured run\n`);
  } finally {
    await app.stop();
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
