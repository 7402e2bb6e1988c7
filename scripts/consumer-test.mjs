#!/usr/bin/env node
// The consumer test: packs the three packages, creates scratch Nest 12 apps outside the repository (ESM, CommonJS,
// Fastify) from the README's quick start, installs the tarballs and the registry dependencies, builds them under
// `strict`, runs their Jest tests, then runs each app against the packed emulator started from its bin and sees the
// job handled with a verified token. Usage: node scripts/consumer-test.mjs [--apps esm,cjs,fastify] [--keep]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { apps: { type: 'string', default: 'esm,cjs,fastify' }, keep: { type: 'boolean' } } });
const APPS = {
  esm: { type: 'module', adapter: 'express' },
  cjs: { type: 'commonjs', adapter: 'express' },
  fastify: { type: 'module', adapter: 'fastify' },
};
const selected = flags.apps.split(',').map((name) => name.trim());
for (const name of selected) if (!APPS[name]) throw new Error(`consumer-test: unknown app "${name}" (esm, cjs, fastify)`);

const started = Date.now();
const log = (text) => process.stdout.write(`consumer-test [${((Date.now() - started) / 1000).toFixed(0)}s] ${text}\n`);
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number);
// NOTE: Jest's CommonJS runtime can require() ES modules (all of Nest 12) only from Node 24.9 on.
const jestRequiresEsm = nodeMajor > 24 || (nodeMajor === 24 && nodeMinor >= 9);

/** The quick start's files, from README.md: every block of the section whose first line is `// PATH` or `# PATH`. */
function quickStartFiles() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Quick start in your app');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('consumer-test: README.md has no "## Quick start in your app" section');
  const section = readme.slice(start, end < 0 ? undefined : end);
  const files = { common: {}, fastify: {} };
  for (const [, body] of section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const header = /^(?:\/\/|#) ((?:src|test)\/[\w./-]+|[\w.-]+\.(?:json|mjs|ts)|\.env)( \(on Fastify\))?\n/.exec(body);
    if (!header) continue;
    (header[2] ? files.fastify : files.common)[header[1]] = body;
  }
  for (const required of ['src/app.module.ts', 'src/main.ts', 'tsconfig.json', '.env', 'jest.config.mjs']) {
    if (!files.common[required]) throw new Error(`consumer-test: README.md's quick start has no ${required} block`);
  }
  return files;
}

/** Exact versions of the registry packages, as the repository's lockfile installed them (so the npm cache serves them). */
function versionOf(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command`, resolves once a line of its output matches `ready` (rejects if it exits first or after `timeoutMs`). */
function startProcess(command, args, { cwd, env, ready, timeoutMs = 60_000, name }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = [];
  const onData = (chunk) => {
    output += chunk;
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(output);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const waitFor = (pattern, what, ms = timeoutMs) =>
    new Promise((resolve, reject) => {
      const match = pattern.exec(output);
      if (match) return resolve(match);
      const waiter = { pattern, resolve, reject, timer: setTimeout(() => reject(new Error(`${name}: no ${what} within ${ms} ms. Output:\n${output}`)), ms) };
      waiters.push(waiter);
    });
  child.once('exit', (code) => {
    for (const waiter of waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${name} exited (${code}) before ${waiter.pattern}. Output:\n${output}`));
    }
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return waitFor(ready, 'ready line').then((match) => ({ child, match, waitFor, stop, output: () => output }));
}

/** Resolves once 127.0.0.1:port accepts a connection (tried every 50 ms, for at most 30 s). */
async function waitForPort(port, name) {
  for (let tries = 0; tries < 600; tries++) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`consumer-test: ${name} is not listening on ${port}`);
}

function check(condition, message) {
  if (!condition) throw new Error(`consumer-test: ${message}`);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'nest-cloud-tasks-consumer-'));
  check(!work.startsWith(ROOT), `the scratch directory ${work} must be outside the repository`);
  const files = quickStartFiles();
  try {
    log('npm run build:libs');
    run('npm', ['run', 'build:libs', '--silent'], { cwd: ROOT });
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    run('npm', ['pack', '--silent', '--pack-destination', tarballs, '-w', 'libs/cloud-tasks', '-w', 'libs/cloud-tasks-emulator', '-w', 'libs/upstash-local'], { cwd: ROOT });
    const tgz = Object.fromEntries(readdirSync(tarballs).map((file) => [file.replace(/^nest-cloud-tasks-(.*)-\d+\.\d+\.\d+.*\.tgz$/, '@nest-cloud-tasks/$1'), `file:${join(tarballs, file)}`]));
    log(`packed ${Object.keys(tgz).join(', ')}`);
    const results = [];
    for (const name of selected) results.push(await consumerApp(name, APPS[name], join(work, name), files, tgz));
    log(`all done in ${((Date.now() - started) / 1000).toFixed(0)} s:\n  ${results.join('\n  ')}`);
  } finally {
    if (flags.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function consumerApp(name, { type, adapter }, dir, files, tgz) {
  const appStarted = Date.now();
  mkdirSync(dir, { recursive: true });
  const sources = { ...files.common, ...(adapter === 'fastify' ? files.fastify : {}) };
  for (const [path, body] of Object.entries(sources)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  const registry = (names) => Object.fromEntries(names.map((n) => [n, versionOf(n)]));
  const pkg = {
    name: `consumer-${name}`,
    private: true,
    type,
    dependencies: {
      '@nest-cloud-tasks/core': tgz['@nest-cloud-tasks/core'],
      ...registry(['@nestjs/common', '@nestjs/core', '@nestjs/config', `@nestjs/platform-${adapter}`, 'reflect-metadata', 'rxjs', 'class-validator', 'class-transformer']),
    },
    devDependencies: {
      '@nest-cloud-tasks/emulator': tgz['@nest-cloud-tasks/emulator'],
      '@nest-cloud-tasks/upstash-local': tgz['@nest-cloud-tasks/upstash-local'],
      ...registry(['@nestjs/testing', 'typescript', '@types/node', 'jest', '@types/jest']),
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

  log(`${name}: npm install (${type}, ${adapter})`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir });
  log(`${name}: tsc (strict)`);
  try {
    run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
  } catch (error) {
    throw new Error(`consumer-test: ${name}: the quick start does not type-check:\n${error.stdout}${error.stderr}`);
  }

  let jest = 'skipped';
  if (type === 'module' || jestRequiresEsm) {
    log(`${name}: jest (processor unit test + emulator e2e test)`);
    const result = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', join(dir, 'node_modules/jest/bin/jest.js'), '--ci'], { cwd: dir, encoding: 'utf8' });
    const out = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new Error(`consumer-test: ${name}: jest failed:\n${out}`);
    jest = /Tests:.*/.exec(out)?.[0] ?? '(no summary)';
    const summary = /Tests:\s+(\d+) passed, (\d+) total/.exec(jest);
    check(summary && summary[1] === summary[2] && Number(summary[2]) >= 3, `${name}: expected the 3 quick-start tests to pass, got: ${jest}`);
  } else {
    log(`${name}: jest skipped on Node ${process.versions.node}: Jest's CommonJS runtime cannot require() Nest 12's ES modules before Node 24.9 (.ci/run runs it on Node 24)`);
  }

  log(`${name}: the packed emulator from its bin, the app against it`);
  const emulator = await startProcess(join(dir, 'node_modules/.bin/cloud-tasks-emulator'), ['--port', '0', '--ephemeral-key'], {
    cwd: dir,
    name: `${name} emulator`,
    ready: /cloud-tasks-emulator listening grpc=(\S+)/,
  });
  const emulatorHost = emulator.match[1];
  let app;
  try {
    const port = await freePort();
    const env = { PORT: String(port), CLOUD_RUN_URL: `http://127.0.0.1:${port}`, CLOUD_TASKS_EMULATOR_HOST: emulatorHost };

    const cli = (...args) => run(join(dir, 'node_modules/.bin/nest-cloud-tasks'), ['queues:sync', ...args, '--app', 'dist/src/app.module.js'], { cwd: dir, env: { ...process.env, ...env } });
    const planned = cli('--dry-run');
    check(planned.includes(`Target: Cloud Tasks emulator at ${emulatorHost}, projects/local-project/locations/us-central1`), `${name}: queues:sync --app printed no target line:\n${planned}`);
    check(planned.includes('+ welcome-email [send-welcome-email]: would create') && /^1 queue: 1 to create\.$/m.test(planned), `${name}: queues:sync --dry-run did not plan exactly the app's one queue:\n${planned}`);
    const synced = cli();
    check(/^1 queue: 1 created\.$/m.test(synced), `${name}: queues:sync did not create the app's queue:\n${synced}`);

    app = await startProcess(process.execPath, ['dist/src/main.js'], { cwd: dir, env, name: `${name} app`, ready: /Nest application successfully started/ });
    // NOTE: Nest logs that line from init(), before the server listens: wait for the port too.
    await waitForPort(port, `${name} app`);
    const signup = await fetch(`${env.CLOUD_RUN_URL}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `ada-${name}@example.com` }) });
    const body = await signup.json();
    check(signup.status === 201 && /\/queues\/welcome-email\/tasks\//.test(body.taskName), `${name}: POST /signup answered ${signup.status} ${JSON.stringify(body)}`);
    await app.waitFor(new RegExp(`Welcome email sent to ada-${name}@example\\.com \\(attempt 1 of 5\\)`), 'handled job', 30_000);
    // NOTE: the processor logs before the app answers, so the emulator may record the attempt a moment later.
    let attempts = [];
    for (let tries = 0; tries < 100 && !attempts.some((a) => a.status === 200); tries++) {
      if (tries) await new Promise((resolve) => setTimeout(resolve, 100));
      const listed = await (await fetch(`http://${emulatorHost}/attempts`)).json();
      attempts = Array.isArray(listed) ? listed : (listed.attempts ?? []);
    }
    check(attempts.some((a) => a.status === 200 && a.queue === 'welcome-email'), `${name}: the emulator recorded no 200 attempt: ${JSON.stringify(attempts)}`);
    const unsigned = await fetch(`${env.CLOUD_RUN_URL}/api/jobs/send-welcome-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cloudtasks-queuename': 'welcome-email' },
      body: JSON.stringify({ jobName: 'send-welcome-email', data: { email: 'eve@example.com' }, idempotencyKey: 'k1', enqueuedAt: new Date().toISOString() }),
    });
    check(unsigned.status === 401, `${name}: a delivery without a token answered ${unsigned.status}, not 401`);
  } finally {
    await app?.stop();
    await emulator.stop();
  }
  const seconds = ((Date.now() - appStarted) / 1000).toFixed(0);
  log(`${name}: OK in ${seconds} s`);
  return `${name} (${type}, ${adapter}): built strict, jest ${jest}, job handled with a verified token, queues:sync --app planned 1 queue (${seconds} s)`;
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
