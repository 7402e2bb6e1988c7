import { createHash } from 'node:crypto';
import type { DeadLetterView } from '../dead-letter/dead-letter-store.interface.js';
import { CSRF_FIELD, MAX_DATA_CHARS } from './dashboard.constants.js';
import type { DeliveryEntry, JobStats } from './delivery-history.js';
import { html, SafeHtml } from './html.js';
import type { QueueRow } from './queue-state.reader.js';

/** How the viewer got in, for the banner. */
export type AccessNote =
  | { kind: 'open'; via: string }
  | { kind: 'identity'; email: string; via: 'iap' | 'oidc' }
  | { kind: 'guard'; name: string };

/** What every page shows around its content. */
export interface PageFrame {
  /** The dashboard's own path, as the browser sees it (e.g. `/_jobs`). */
  base: string;
  now: number;
  access: AccessNote;
  /** `projects/P/locations/L`. */
  location: string;
  csrf: string;
  notice?: string;
}

/** A schedule as the page shows it (never its data). */
export interface ScheduleRow {
  id: string;
  job: string;
  cron: string;
  timeZone: string;
  paused: boolean;
}

export interface OverviewModel extends PageFrame {
  queues: QueueRow[];
  /** The `schedules` of the module's options, when it has any. */
  schedules?: ScheduleRow[];
  stats: JobStats[];
  recent: DeliveryEntry[];
  deadLetters: { items: DeadLetterView[]; more: boolean; unavailable?: string };
}

export interface DeadLetterModel extends PageFrame {
  deadLetter: DeadLetterView;
}

const STYLE = `
:root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
body{margin:0}header{background:#24292f;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header a{color:#fff}header .where{opacity:.75;font-size:12px}
main{padding:16px 24px;max-width:1600px}section{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:0 0 16px;padding:0 0 8px;overflow-x:auto}
h2{font-size:15px;margin:0;padding:10px 12px;border-bottom:1px solid #d0d7de;display:flex;gap:8px;align-items:baseline}
h2 small{font-weight:normal;color:#57606a}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 12px;border-bottom:1px solid #eaeef2;vertical-align:top;white-space:nowrap}
td.wrap{white-space:normal;word-break:break-word;max-width:480px}th{font-size:12px;color:#57606a;font-weight:600;background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#57606a}.empty{padding:10px 12px;color:#57606a}.reason{font-size:12px;max-width:320px;white-space:normal;word-break:break-word}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;background:#eaeef2}
.completed,.RUNNING{background:#dafbe1;color:#1a7f37}.dead,.DISABLED{background:#ffebe9;color:#cf222e}
.retried,.PAUSED{background:#fff8c5;color:#9a6700}.duplicate{background:#ddf4ff;color:#0969da}
.banner{padding:8px 12px;border-radius:6px;margin:0 0 16px;border:1px solid}.open{background:#fff8c5;border-color:#d4a72c}
.signed{background:#ddf4ff;border-color:#54aeff}.notice{background:#dafbe1;border-color:#4ac26b}
form{display:inline;margin:0}button{font:inherit;font-size:12px;padding:2px 10px;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button.danger{color:#cf222e}pre{margin:0;padding:12px;background:#f6f8fa;overflow:auto;max-height:480px;font-size:12px}
p.actions{padding:0 12px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0;padding:12px}dt{color:#57606a}dd{margin:0;word-break:break-word}
`;

const STYLE_SAFE = new SafeHtml(STYLE);

/** The Content-Security-Policy of every page: no script at all, only this inline style, forms to this origin. */
export const DASHBOARD_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export function renderOverview(model: OverviewModel): string {
  const content = html`
    ${queuesSection(model)} ${model.schedules?.length ? schedulesSection(model.schedules) : ''} ${statsSection(model.stats)} ${deadLettersSection(model)} ${recentSection(model)}`;
  return layout(model, 'Jobs', content);
}

export function renderDeadLetter(model: DeadLetterModel): string {
  const d = model.deadLetter;
  const data = JSON.stringify(d.data, null, 2) ?? 'undefined';
  const content = html`
    <section id="dead-letter" data-id="${d.id}">
      <h2>Dead letter <small>${d.id}</small></h2>
      <dl>
        <dt>Job</dt><dd>${d.jobName}</dd>
        <dt>Queue</dt><dd>${d.queue}</dd>
        <dt>Task</dt><dd>${d.taskName}</dd>
        <dt>Reason</dt><dd><span class="badge dead">${d.reason}</span></dd>
        <dt>Error</dt><dd>${d.error}</dd>
        <dt>Attempts</dt><dd>${d.attempts}${d.maxAttempts !== undefined ? ` (job cap ${d.maxAttempts})` : ''}</dd>
        <dt>Failed</dt><dd>${time(d.failedAt)}</dd>
        ${d.retriedAt ? html`<dt>Retried</dt><dd class="retried-note">${time(d.retriedAt)} as task ${d.retriedAs ?? ''}</dd>` : ''}
      </dl>
      <h2>Data <small>sensitive-looking keys masked; the raw payload is never shown</small></h2>
      <pre>${data.length > MAX_DATA_CHARS ? `${data.slice(0, MAX_DATA_CHARS)}\n… (${data.length - MAX_DATA_CHARS} more characters)` : data}</pre>
      <p class="actions">${actions(model, d)} <a href="${model.base}">Back to the jobs</a></p>
    </section>`;
  return layout(model, `Dead letter ${d.id}`, content);
}

function layout(frame: PageFrame, title: string, content: SafeHtml): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin"><title>${title} · Cloud Tasks dashboard</title><style>${STYLE_SAFE}</style></head>
<body><header><h1><a href="${frame.base}">Cloud Tasks jobs</a></h1><span class="where">${frame.location} · this instance · ${time(frame.now)}</span></header>
<main>${banner(frame.access)}${frame.notice ? html`<div class="banner notice" role="status">${frame.notice}</div>` : ''}${content}</main></body></html>`}`;
}


function banner(access: AccessNote): SafeHtml {
  if (access.kind === 'open')
    return html`<div class="banner open" id="access">Open in local mode (${access.via}): no access check. Outside local mode this dashboard only starts behind an access check (a guard of the app, or an allow-list of verified Google identities).</div>`;
  if (access.kind === 'identity') return html`<div class="banner signed" id="access">Signed in as ${access.email} (${access.via === 'iap' ? 'Identity-Aware Proxy' : 'Google ID token'}).</div>`;
  return html`<div class="banner signed" id="access">Access checked by ${access.name}.</div>`;
}

function queuesSection(model: OverviewModel): SafeHtml {
  const rows = model.queues.map((q) => {
    const r = q.config.retryConfig;
    const rate = q.config.rateLimits;
    const live = q.live;
    const state = live
      ? html`<span class="badge ${live.state}">${live.state}</span>`
      : q.transport === 'cloud-tasks'
        ? html`<span class="muted">unavailable</span><div class="muted reason">${q.unavailable ?? ''}</div>`
        : html`<span class="muted">on ${q.transport}</span>`;
    const oldest = live?.oldestCreatedAt;
    return html`<tr data-queue="${q.queueId}">
      <td>${q.queueId}</td><td>${q.jobName}</td><td>${state}</td>
      <td class="num tasks">${live ? `${live.tasks}${live.more ? '+' : ''}` : '—'}</td>
      <td class="num">${live ? live.retrying : '—'}</td>
      <td>${oldest === undefined ? '—' : oldest <= model.now ? html`${age(model.now - oldest)} <span class="muted">(${time(oldest)})</span>` : time(oldest)}</td>
      <td class="num">${r.maxAttempts === -1 ? '∞' : r.maxAttempts}</td>
      <td>${r.minBackoff} → ${r.maxBackoff}, ×2 ${r.maxDoublings}×${r.maxRetryDuration ? `, ≤ ${r.maxRetryDuration}` : ''}</td>
      <td>${rateLimits(rate)}</td>
      <td class="num">${q.config.dispatchDeadline !== undefined ? `${q.config.dispatchDeadline}s` : 'default'}</td>
    </tr>`;
  });
  return html`<section id="queues"><h2>Queues <small>${model.queues.length} configured · live state from Cloud Tasks</small></h2>
    <table><thead><tr><th>Queue</th><th>Job</th><th>State</th><th class="num">Tasks</th><th class="num">Retrying</th><th>Oldest task</th>
    <th class="num">Max attempts</th><th>Backoff</th><th>Rate limits</th><th class="num">Deadline</th></tr></thead>
    <tbody>${rows}</tbody></table></section>`;
}

/** `20/s, 5 concurrent`, one of them, or `default` (Cloud Tasks' 500/s and 1000). */
function rateLimits(rate: QueueRow['config']['rateLimits']): string {
  const parts = [rate?.maxDispatchesPerSecond !== undefined ? `${rate.maxDispatchesPerSecond}/s` : '', rate?.maxConcurrentDispatches !== undefined ? `${rate.maxConcurrentDispatches} concurrent` : ''];
  return parts.filter(Boolean).join(', ') || 'default';
}

function schedulesSection(schedules: ScheduleRow[]): SafeHtml {
  const rows = schedules.map(
    (s) => html`<tr data-schedule="${s.id}"><td>${s.id}</td><td>${s.job}</td><td><code>${s.cron}</code></td><td>${s.timeZone}</td>
      <td><span class="badge ${s.paused ? 'PAUSED' : 'RUNNING'}">${s.paused ? 'paused' : 'enabled'}</span></td></tr>`,
  );
  return html`<section id="schedules"><h2>Schedules <small>${schedules.length} configured · Cloud Scheduler fires each into its job's queue</small></h2>
    <table><thead><tr><th>Schedule</th><th>Job</th><th>Cron</th><th>Time zone</th><th>State</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function statsSection(stats: JobStats[]): SafeHtml {
  const rows = stats.map(
    (s) => html`<tr data-job="${s.jobName}"><td>${s.jobName}</td><td class="num">${s.completed}</td><td class="num">${s.retried}</td><td class="num">${s.dead}</td>
      <td class="num">${s.duplicate}</td><td class="num success">${s.successRate === undefined ? '—' : `${(s.successRate * 100).toFixed(1)} %`}</td>
      <td class="num">${s.p95Ms === undefined ? '—' : `${s.p95Ms} ms`}</td><td class="num muted">${s.samples}</td></tr>`,
  );
  return html`<section id="jobs"><h2>Jobs <small>deliveries to this instance since it started</small></h2>
    <table><thead><tr><th>Job</th><th class="num">Completed</th><th class="num">Retried</th><th class="num">Dead</th><th class="num">Duplicates</th>
    <th class="num">Success rate</th><th class="num">p95 duration</th><th class="num">Runs in p95</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function deadLettersSection(model: OverviewModel): SafeHtml {
  const { items, more, unavailable } = model.deadLetters;
  const body = unavailable
    ? html`<p class="empty">Dead letters unavailable: ${unavailable}</p>`
    : items.length === 0
      ? html`<p class="empty">No dead letters.</p>`
      : html`<table><thead><tr><th>Failed</th><th>Job</th><th>Reason</th><th class="num">Attempts</th><th>Error</th><th>Retried</th><th></th></tr></thead><tbody>${items.map(
          (d) => html`<tr data-dead-letter="${d.id}" data-job="${d.jobName}"><td>${time(d.failedAt)}</td><td>${d.jobName}</td><td><span class="badge dead">${d.reason}</span></td>
            <td class="num">${d.attempts}</td><td class="wrap">${d.error}</td><td>${d.retriedAt ? html`<span class="retried-note">${time(d.retriedAt)}</span>` : '—'}</td>
            <td><a href="${model.base}/dead-letters/${encodeURIComponent(d.id)}">Show</a> ${actions(model, d)}</td></tr>`,
        )}</tbody></table>`;
  return html`<section id="dead-letters"><h2>Dead letters <small>${unavailable ? '' : `${items.length}${more ? '+' : ''} · newest first`}</small></h2>${body}</section>`;
}

function actions(frame: PageFrame, d: DeadLetterView): SafeHtml {
  const action = `${frame.base}/dead-letters/${encodeURIComponent(d.id)}`;
  return html`<form method="post" action="${action}/retry"><input type="hidden" name="${CSRF_FIELD}" value="${frame.csrf}"><button type="submit" name="retry">Retry</button></form>
    <form method="post" action="${action}/discard"><input type="hidden" name="${CSRF_FIELD}" value="${frame.csrf}"><button type="submit" name="discard" class="danger">Discard</button></form>`;
}

function recentSection(model: OverviewModel): SafeHtml {
  const body = model.recent.length
    ? html`<table><thead><tr><th>Time</th><th>Job</th><th>Outcome</th><th class="num">Attempt</th><th class="num">Duration</th><th>Task</th><th>Error</th></tr></thead><tbody>${model.recent.map(
        (e) => html`<tr data-task="${e.taskName}" data-outcome="${e.outcome}"><td>${time(e.at)}</td><td>${e.jobName}</td><td><span class="badge ${e.outcome}">${e.outcome}</span></td>
          <td class="num">${e.attempt ?? ''}</td><td class="num">${e.durationMs === undefined ? '' : `${e.durationMs} ms`}</td><td class="muted">${e.taskName}</td><td class="wrap">${e.error ?? ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty">No deliveries to this instance yet.</p>`;
  return html`<section id="recent"><h2>Recent deliveries <small>this instance, newest first, last ${model.recent.length}</small></h2>${body}</section>`;
}

/** `2026-12-02 01:40:12Z`. */
function time(at: number | string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `3d 4h`, `2h 5m`, `4m 10s`, `12s`. */
function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
