import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { QUEUE_CONFIGS } from '../../src/config/queue.config.js';
import { FakeGoogleApi } from '../../src/domain/fake-google-api.service.js';
import { SAMPLE_JOBS } from '../../src/jobs/sample-jobs.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION } from '../../src/local-infrastructure.js';
import { createEmulatorClient, startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import { CLOUD_TASKS_CLIENT, DeadLetterService, JobQueueService } from '../../libs/cloud-tasks/src/index.js';
import { DASHBOARD_CSRF_REFUSED, DASHBOARD_IDENTITY_NOT_ALLOWED, DASHBOARD_WITHOUT_ACCESS } from '../../libs/cloud-tasks/src/dashboard/dashboard.messages.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { bootCatchUp, type CatchUpApp } from '../support/catchup-app.js';
import { launchChromium } from '../support/browser.js';

const QUEUE_NAMES = Object.values(QUEUE_CONFIGS).map((q) => q.name).sort();
const shortName = (taskName: string) => taskName.slice(taskName.lastIndexOf('/') + 1);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The jobs dashboard of the CatchUp example, in a real browser (Debian's headless Chromium driven by playwright-core),
 * with the jobs going through the Cloud Tasks emulator, on both HTTP adapters.
 */
describe.each(HTTP_ADAPTERS)('jobs dashboard on %s', (adapter) => {
  let emulator: CloudTasksEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, httpPort: 0, timeScale: 1000, queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS } });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  describe('in local mode (open, and it says so)', () => {
    let catchup: CatchUpApp;
    let context: BrowserContext;
    let page: Page;
    let completedTask: string;
    let deadTask: string;

    beforeAll(async () => {
      catchup = await bootCatchUp({ adapter, emulator });
      const jobs = catchup.app.get(JobQueueService);
      const completed = await jobs.add('calendar-sync', SAMPLE_JOBS['calendar-sync']);
      // token-refresh-queue allows 3 attempts: three Google 503s in a row exhaust them, and the job is dead.
      catchup.app.get(FakeGoogleApi).failNext('u2', 3, 'transient');
      const dead = await jobs.add('token-refresh', { userId: 'u2', force: true });
      await emulator.waitForTask(completed.taskName, { timeoutMs: 20_000 });
      await emulator.waitForTask(dead.taskName, { timeoutMs: 20_000 });
      // One task left waiting (20 days ahead, on the emulator's clock), for the live state.
      await jobs.add('notification-reminder', SAMPLE_JOBS['notification-reminder'], { delay: 20 * 86_400 });
      [completedTask, deadTask] = [shortName(completed.taskName), shortName(dead.taskName)];
      context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
      await catchup?.close();
    });

    it('lists the 11 queues with their settings and live state, and says it is open', async () => {
      const response = await page.goto(`${catchup.url}/_jobs`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(await page.locator('#queues tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-queue')))).toEqual(QUEUE_NAMES);
      expect(await page.locator('#access').textContent()).toContain('Open in local mode');
      const waiting = page.locator('#queues tr[data-queue="notification-reminder-queue"]');
      expect(await waiting.locator('.badge').textContent()).toBe('RUNNING');
      expect(await waiting.locator('td.tasks').textContent()).toBe('1');
      expect(await waiting.textContent()).toContain('60s → 1800s');
    });

    it('shows a completed and a dead delivery, per-job figures, and the dead letter', async () => {
      await page.goto(`${catchup.url}/_jobs`);
      expect(await page.locator(`#recent tr[data-task="${completedTask}"]`).getAttribute('data-outcome')).toBe('completed');
      expect(await page.locator(`#recent tr[data-task="${deadTask}"]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')))).toEqual(['dead', 'retried', 'retried']);
      expect(await page.locator('#jobs tr[data-job="calendar-sync"] td.success').textContent()).toBe('100.0 %');
      expect(await page.locator('#jobs tr[data-job="token-refresh"] td.success').textContent()).toBe('0.0 %');
      const row = page.locator('#dead-letters tr[data-job="token-refresh"]');
      expect(await row.count()).toBe(1);
      expect(await row.textContent()).toContain('exhausted');
    });

    it('refuses a POST without the CSRF token (or with a wrong one, or cross-site), and retries nothing', async () => {
      const id = await page.locator('#dead-letters tr[data-job="token-refresh"]').getAttribute('data-dead-letter');
      const retryUrl = `${catchup.url}/_jobs/dead-letters/${id}/retry`;
      const bare = await fetch(retryUrl, { method: 'POST', redirect: 'manual' });
      expect(bare.status).toBe(403);
      expect(((await bare.json()) as { message: string }).message).toBe(DASHBOARD_CSRF_REFUSED);
      // The browser's own cookie, with a forged token:
      const forged = await context.request.post(retryUrl, { form: { csrf: 'x'.repeat(43) }, maxRedirects: 0 });
      expect(forged.status()).toBe(403);
      // The right token, from another site:
      const token = await page.locator('#dead-letters input[name="csrf"]').first().getAttribute('value');
      const crossSite = await context.request.post(retryUrl, { form: { csrf: token! }, headers: { 'sec-fetch-site': 'cross-site' }, maxRedirects: 0 });
      expect(crossSite.status()).toBe(403);
      expect((await catchup.app.get(DeadLetterService).get(id!))?.retriedAt).toBeUndefined();
    });

    it('retries the dead job from the page, and the retry completes', async () => {
      await page.goto(`${catchup.url}/_jobs`);
      const id = (await page.locator('#dead-letters tr[data-job="token-refresh"]').getAttribute('data-dead-letter'))!;
      await page.locator(`#dead-letters tr[data-dead-letter="${id}"] button[name="retry"]`).click();
      await page.waitForURL(`**/_jobs/dead-letters/${id}?done=retried`);
      expect(await page.locator('.notice').textContent()).toContain('Retried');
      const record = await catchup.app.get(DeadLetterService).get(id);
      expect(record?.retriedAs).toBeDefined();
      expect(await page.locator('.retried-note').textContent()).toContain(record!.retriedAs);
      const finished = await emulator.waitForTask(record!.retriedAs!, { timeoutMs: 20_000 });
      expect(finished.outcome).toBe('succeeded');

      await page.goto(`${catchup.url}/_jobs`);
      expect(await page.locator(`#recent tr[data-task="${shortName(record!.retriedAs!)}"]`).getAttribute('data-outcome')).toBe('completed');
      expect(await page.locator('#jobs tr[data-job="token-refresh"] td.success').textContent()).toBe('25.0 %');
      if (adapter === 'express' && process.env.DASHBOARD_SCREENSHOT) {
        mkdirSync(dirname(process.env.DASHBOARD_SCREENSHOT), { recursive: true });
        await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
      }
    });

    it("shows a dead letter's data masked, never the raw payload, and discards it", async () => {
      const secret = 'sk-live-do-not-show-4242';
      const recorded = await catchup.app.get(DeadLetterService).record({
        jobName: 'calendar-sync', queue: 'calendar-sync-queue', taskName: 'manual-1', idempotencyKey: 'key-that-stays-private',
        payload: { userId: 'u1', apiKey: secret, nested: { password: 'hunter2-hunter2' } }, error: 'PermanentError: test', reason: 'permanent', attempts: 1,
      });
      await page.goto(`${catchup.url}/_jobs`);
      await page.locator(`#dead-letters tr[data-dead-letter="${recorded.id}"] a`).click();
      await page.waitForURL(`**/_jobs/dead-letters/${recorded.id}`);
      const html = await page.content();
      expect(html).toContain('[REDACTED]');
      expect(html).toContain('"userId": "u1"');
      for (const hidden of [secret, 'hunter2-hunter2', 'key-that-stays-private']) expect(html).not.toContain(hidden);

      await page.locator('#dead-letter button[name="discard"]').click();
      await page.waitForURL('**/_jobs?done=discarded');
      expect(await page.locator('.notice').textContent()).toBe('Dead letter discarded.');
      expect(await page.locator(`#dead-letters tr[data-dead-letter="${recorded.id}"]`).count()).toBe(0);
      expect(await catchup.app.get(DeadLetterService).get(recorded.id)).toBeNull();
    });
  });

  describe('outside local mode (real Cloud Tasks settings; the client talks to the emulator)', () => {
    const AUDIENCE = 'catchup-dashboard';
    const OPS = 'ops@catchup.test';
    const ONCALL = 'oncall@catchup.test';
    let catchup: CatchUpApp;
    const idToken = (email: string) => emulator.signToken({ iss: 'https://accounts.google.com', aud: AUDIENCE, sub: email, email, email_verified: true });

    const nonLocalEnv = (extra: Record<string, unknown> = {}) => ({
      CLOUD_TASKS_EMULATOR_HOST: undefined,
      ENABLE_DEV_ENDPOINTS: false,
      ALLOW_MEMORY_STORES: 'single-instance' as const,
      JOBS_DASHBOARD: true,
      ...extra,
    });

    beforeAll(async () => {
      catchup = await bootCatchUp({
        adapter,
        emulator,
        env: nonLocalEnv({ JOBS_DASHBOARD_ALLOW: [OPS, ONCALL], JOBS_DASHBOARD_OIDC_AUDIENCE: AUDIENCE, JOBS_DASHBOARD_OIDC_CERTS_URL: emulator.certsUrl }),
        override: (builder) => builder.overrideProvider(CLOUD_TASKS_CLIENT).useValue(createEmulatorClient(emulator.grpcAddress)),
      });
    });
    afterAll(async () => {
      await catchup?.close();
    });

    it('refuses to boot without an access check, naming the fix', async () => {
      await expect(bootCatchUp({ adapter, emulator, env: nonLocalEnv() })).rejects.toThrow(DASHBOARD_WITHOUT_ACCESS('_jobs'));
    });

    it('refuses a request without a token (401) and a valid token of someone not allowed (403)', async () => {
      const anonymous = await fetch(`${catchup.url}/_jobs`);
      expect(anonymous.status).toBe(401);
      const intruder = await fetch(`${catchup.url}/_jobs`, { headers: { authorization: `Bearer ${idToken('intruder@elsewhere.test')}` } });
      expect(intruder.status).toBe(403);
      expect(((await intruder.json()) as { message: string }).message).toBe(DASHBOARD_IDENTITY_NOT_ALLOWED('"intruder@elsewhere.test"'));
      const forged = await fetch(`${catchup.url}/_jobs`, { headers: { authorization: `Bearer ${idToken(OPS).slice(0, -4)}AAAA` } });
      expect(forged.status).toBe(401);
    });

    it('lets an allowed identity in, in the browser, and names it', async () => {
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${idToken(OPS)}` } });
      try {
        const page = await context.newPage();
        const response = await page.goto(`${catchup.url}/_jobs`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('#access').textContent()).toContain(`Signed in as ${OPS}`);
        expect(await page.locator('#queues tbody tr').count()).toBe(11);
        expect(await page.locator('#queues tr[data-queue="calendar-sync-queue"] .badge').textContent()).toBe('RUNNING');
      } finally {
        await context.close();
      }
    });

    it('an allowed identity retries a dead job from the page; its form token is worth nothing to another identity', async () => {
      catchup.app.get(FakeGoogleApi).failNext('u1', 3, 'transient');
      const dead = await catchup.app.get(JobQueueService).add('token-refresh', { userId: 'u1', force: true });
      await emulator.waitForTask(dead.taskName, { timeoutMs: 20_000 });
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${idToken(OPS)}` } });
      try {
        const page = await context.newPage();
        await page.goto(`${catchup.url}/_jobs`);
        const row = page.locator('#dead-letters tr[data-job="token-refresh"]');
        const id = (await row.getAttribute('data-dead-letter'))!;
        const token = (await row.locator('input[name="csrf"]').first().getAttribute('value'))!;
        // The same cookie and form token, sent as another allowed identity: the token was issued to OPS only.
        const other = await context.request.post(`${catchup.url}/_jobs/dead-letters/${id}/retry`, { form: { csrf: token }, headers: { authorization: `Bearer ${idToken(ONCALL)}` }, maxRedirects: 0 });
        expect(other.status()).toBe(403);
        expect(((await other.json()) as { message: string }).message).toBe(DASHBOARD_CSRF_REFUSED);

        await row.locator('button[name="retry"]').click();
        await page.waitForURL(`**/_jobs/dead-letters/${id}?done=retried`);
        const record = await catchup.app.get(DeadLetterService).get(id);
        expect((await emulator.waitForTask(record!.retriedAs!, { timeoutMs: 20_000 })).outcome).toBe('succeeded');
        await page.goto(`${catchup.url}/_jobs`);
        expect(await page.locator(`#recent tr[data-task="${shortName(record!.retriedAs!)}"]`).getAttribute('data-outcome')).toBe('completed');
      } finally {
        await context.close();
      }
    });
  });
});
