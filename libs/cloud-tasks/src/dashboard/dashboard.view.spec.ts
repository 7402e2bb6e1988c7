import { describe, expect, it } from '@jest/globals';
import { DASHBOARD_CSP, renderOverview, type OverviewModel } from './dashboard.view.js';

const model = (extra: Partial<OverviewModel> = {}): OverviewModel => ({
  base: '/_jobs',
  now: Date.UTC(2026, 11, 2, 1, 0, 0),
  access: { kind: 'identity', email: 'ops@example.com', via: 'iap' },
  location: 'projects/p/locations/l',
  csrf: 'token-1',
  queues: [],
  stats: [],
  recent: [],
  deadLetters: { items: [], more: false },
  ...extra,
});

describe('renderOverview', () => {
  it('lists schedules when the options have them, never with their data, and nothing when they do not', () => {
    const page = renderOverview(model({ schedules: [{ id: 'hourly-check', job: 'webhook-health-check', cron: '0 * * * *', timeZone: 'Europe/Paris', paused: true }] }));
    expect(page).toMatch(/<tr data-schedule="hourly-check"><td>hourly-check<\/td><td>webhook-health-check<\/td><td><code>0 \* \* \* \*<\/code><\/td><td>Europe\/Paris<\/td>/);
    expect(page).toContain('paused');
    expect(renderOverview(model())).not.toContain('id="schedules"');
  });

  it('escapes what comes from outside (errors, task names) and carries no script', () => {
    const page = renderOverview(model({ recent: [{ at: 0, jobName: 'j', queue: 'q', taskName: '"><img src=x onerror=alert(1)>', outcome: 'dead', error: '<script>alert(1)</script>' }] }));
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(DASHBOARD_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
  });

  it('names who is signed in', () => {
    expect(renderOverview(model())).toContain('Signed in as ops@example.com (Identity-Aware Proxy).');
  });
});
