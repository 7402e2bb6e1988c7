import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { of } from 'rxjs';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { DashboardConfigError } from '../errors/dashboard-config.error.js';
import { CLOUD_TASKS_LOCAL_MODE } from '../options/local-mode.js';
import { compileTestModule, createTestApp, HTTP_ADAPTERS, type TestApp, type TestAppSetup } from '../testing/index.js';
import { createHttpApp } from '../testing/http-adapters.js';
import { CloudTasksDashboardModule } from './cloud-tasks-dashboard.module.js';
import { CSRF_COOKIE } from './dashboard.constants.js';
import { DASHBOARD_GUARD_NOT_A_GUARD, DASHBOARD_GUARD_REFUSED, DASHBOARD_WITHOUT_ACCESS } from './dashboard.messages.js';
import type { CloudTasksDashboardOptions } from './dashboard-options.interface.js';

/** A service of the app the guard depends on. */
@Injectable()
class Admins {
  isAdmin(header: unknown): boolean {
    return header === 'yes';
  }
}

@Module({ providers: [Admins], exports: [Admins] })
class AdminsModule {}

/** The app's own admin guard, built by the dashboard module with the app's providers. */
@Injectable()
class AdminGuard implements CanActivate {
  constructor(private readonly admins: Admins) {}
  canActivate(context: ExecutionContext): boolean {
    return this.admins.isAdmin(context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['x-admin']);
  }
}

/** What an app against real Cloud Tasks configures (not local mode). */
const realCloudTasks = (dashboard: TestAppSetup['imports']): TestAppSetup => ({
  options: { auth: { mode: 'verify-signature', certsUrl: 'http://127.0.0.1:1/certs' }, allowMemoryStores: 'single-instance' },
  imports: dashboard,
  override: (builder) => builder.overrideProvider(CLOUD_TASKS_LOCAL_MODE).useValue({ local: false }),
});

describe('CloudTasksDashboardModule at boot', () => {
  const boot = async (options: CloudTasksDashboardOptions) => {
    const { moduleRef } = await compileTestModule(realCloudTasks([CloudTasksDashboardModule.forRoot(options)]));
    const app = await createHttpApp(moduleRef, 'express', { logger: false });
    return { app, init: app.init() };
  };

  it('refuses to start without an access check outside local mode, naming the fix', async () => {
    const { app, init } = await boot({});
    await expect(init).rejects.toThrow(new DashboardConfigError(DASHBOARD_WITHOUT_ACCESS('_jobs')));
    await app.close();
  });

  it('refuses a guard that is not one', async () => {
    const { app, init } = await boot({ access: { guard: {} as CanActivate } });
    await expect(init).rejects.toThrow(new DashboardConfigError(DASHBOARD_GUARD_NOT_A_GUARD('Object')));
    await app.close();
  });
});

describe.each(HTTP_ADAPTERS)('CloudTasksDashboardModule on %s', (adapter) => {
  let test: TestApp | undefined;
  let closePrefixed: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await test?.close();
    await closePrefixed?.();
    test = closePrefixed = undefined;
  });

  it("behind a guard class of the app's (built with the app's providers): 403 when it says no, the page when it says yes", async () => {
    test = await createTestApp({
      adapter,
      ...realCloudTasks([CloudTasksDashboardModule.forRootAsync({ imports: [AdminsModule], useFactory: () => ({ access: { guard: AdminGuard } }) })]),
    });
    const refused = await fetch(`${test.url}/_jobs`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(DASHBOARD_GUARD_REFUSED);
    const page = await fetch(`${test.url}/_jobs`, { headers: { 'x-admin': 'yes' } });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Access checked by AdminGuard.');
    // The fake client reads no queues: the page says so per queue instead of failing.
    expect(text).toMatch(/<tr data-queue="ping-queue">[\s\S]*unavailable/);
  });

  it('behind a guard instance answering an Observable', async () => {
    test = await createTestApp({ adapter, ...realCloudTasks([CloudTasksDashboardModule.forRoot({ access: { guard: { canActivate: () => of(false) } } })]) });
    expect((await fetch(`${test.url}/_jobs`)).status).toBe(403);
  });

  it('puts no host of the request target in links, forms or the cookie (absolute-form request)', async () => {
    test = await createTestApp({ adapter, imports: [CloudTasksDashboardModule.forRoot({})] });
    const dead = await test.app.get(DeadLetterService).record({ jobName: 'ping', queue: 'ping-queue', taskName: 't1', idempotencyKey: 'k', payload: {}, error: 'x', reason: 'permanent', attempts: 1 });
    const { port } = new URL(test.url);
    const { status, cookie, body } = await new Promise<{ status?: number; cookie?: string[]; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: 'http://evil.test/_jobs', headers: { host: 'evil.test' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, cookie: res.headers['set-cookie'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(body).not.toContain('evil.test');
    expect(body).toContain(`action="/_jobs/dead-letters/${dead.id}/retry"`);
    expect(cookie?.[0]).toContain('Path=/_jobs;');
  });

  it('under a global prefix and a path of its own, links, forms and the CSRF cookie follow the path the browser used', async () => {
    const { moduleRef } = await compileTestModule({ imports: [CloudTasksDashboardModule.forRoot({ path: 'ops/jobs' })] });
    const app = await createHttpApp(moduleRef, adapter, { logger: false });
    app.setGlobalPrefix('admin');
    await app.listen(0, '127.0.0.1');
    closePrefixed = () => app.close();
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const dead = await app.get(DeadLetterService).record({ jobName: 'ping', queue: 'ping-queue', taskName: 't1', idempotencyKey: 'k', payload: {}, error: 'PermanentError: x', reason: 'permanent', attempts: 1 });
    const page = await fetch(`${url}/admin/ops/jobs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toMatch(new RegExp(`^${CSRF_COOKIE}=[A-Za-z0-9_-]{43}; Path=/admin/ops/jobs; HttpOnly; SameSite=Strict$`));
    const text = await page.text();
    expect(text).toContain('Open in local mode (test)');
    expect(text).toContain(`href="/admin/ops/jobs/dead-letters/${dead.id}"`);
    expect(text).toContain(`action="/admin/ops/jobs/dead-letters/${dead.id}/retry"`);
    expect((await fetch(`${url}/admin/ops/jobs/dead-letters/${dead.id}`)).status).toBe(200);
    expect((await fetch(`${url}/admin/ops/jobs/dead-letters/no-such-id`)).status).toBe(404);
  });
});
