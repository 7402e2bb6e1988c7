import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { Aggregation, CloudMonitoringAlertPolicy, CloudMonitoringDashboard, MosaicTile, ThresholdCondition, XyChartDataSet } from './cloud-monitoring.types.js';
import { MONITORING_BAD_SETTING, MONITORING_BAD_THRESHOLD, MONITORING_NO_QUEUES } from './monitoring.messages.js';

/** A threshold and how long it must hold before the policy opens an incident. */
export interface AlertThreshold {
  value: number;
  /** Seconds the condition must hold. */
  forSeconds: number;
}

/** The alert thresholds, each as a warning and a critical level. */
export interface MonitoringThresholds {
  /** Share of task attempts per queue that failed (non-OK response): warning 1 % for 10 min, critical 5 % for 5 min. */
  taskFailureRatio: { warning: AlertThreshold; critical: AlertThreshold };
  /** Tasks waiting per queue: warning 500 for 15 min, critical 1,000 for 10 min. */
  queueDepth: { warning: AlertThreshold; critical: AlertThreshold };
  /** p95 of the handler service's request latency, in seconds: warning 30 s, critical 60 s, for 5 min. */
  handlerLatencyP95Seconds: { warning: AlertThreshold; critical: AlertThreshold };
  /** Share of the handler service's requests answered 5xx: critical 5 % for 5 min. */
  handler5xxRatio: { critical: AlertThreshold };
  /** Failed Cloud Tasks API calls (CreateTask…) per minute per queue: critical 10 for 5 min. */
  apiErrorsPerMinute: { critical: AlertThreshold };
}

/** The default thresholds (the migration design's critical and warning alerts). */
export const DEFAULT_MONITORING_THRESHOLDS: MonitoringThresholds = {
  taskFailureRatio: { warning: { value: 0.01, forSeconds: 600 }, critical: { value: 0.05, forSeconds: 300 } },
  queueDepth: { warning: { value: 500, forSeconds: 900 }, critical: { value: 1000, forSeconds: 600 } },
  handlerLatencyP95Seconds: { warning: { value: 30, forSeconds: 300 }, critical: { value: 60, forSeconds: 300 } },
  handler5xxRatio: { critical: { value: 0.05, forSeconds: 300 } },
  apiErrorsPerMinute: { critical: { value: 10, forSeconds: 300 } },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface MonitoringExportOptions {
  /** The GCP project of the queues (`GCP_PROJECT_ID`). */
  projectId: string;
  /** The queues' location (`GCP_REGION`). */
  location: string;
  /** The module's `queues` option: job name → queue config. */
  queues: Record<string, QueueConfig>;
  /**
   * The Cloud Run service that serves the job endpoint (`K_SERVICE` on Cloud Run). With it, the dashboard and the
   * policies also cover the handler's 5xx rate and latency; without, only the queues.
   */
  cloudRunService?: string;
  /** Notification channels (`projects/P/notificationChannels/ID`) of every policy, or per severity. */
  notificationChannels?: string[] | { critical?: string[]; warning?: string[] };
  /** Thresholds that differ from {@link DEFAULT_MONITORING_THRESHOLDS}. */
  thresholds?: DeepPartial<MonitoringThresholds>;
  /** What names begin with (default `'Cloud Tasks'`). */
  displayName?: string;
}

/** One alert policy and the file name the export command writes it to. */
export interface ExportedAlertPolicy {
  /** `alert-<name>.json`. */
  fileName: string;
  policy: CloudMonitoringAlertPolicy;
}

/** What {@link monitoringExport} returns: a dashboard and alert policies, ready for `gcloud`. */
export interface MonitoringExport {
  dashboard: CloudMonitoringDashboard;
  alertPolicies: ExportedAlertPolicy[];
}

/** One file of the export: its name and its JSON text. */
export interface MonitoringExportFile {
  fileName: string;
  content: string;
}

const ID = /^[A-Za-z0-9._-]{1,100}$/;
const MINUTE = '60s';
const QUEUE_FIELD = 'resource.label.queue_id';
const ATTEMPTS = 'cloudtasks.googleapis.com/queue/task_attempt_count';
const DEPTH = 'cloudtasks.googleapis.com/queue/depth';
const ATTEMPT_DELAYS = 'cloudtasks.googleapis.com/queue/task_attempt_delays';
const API_REQUESTS = 'cloudtasks.googleapis.com/api/request_count';
const RUN_REQUESTS = 'run.googleapis.com/request_count';
const RUN_LATENCIES = 'run.googleapis.com/request_latencies';

/**
 * Monitoring as code for the configured queues: a Cloud Monitoring dashboard (task attempts and failures per queue,
 * queue depth, attempt delays, Cloud Tasks API errors, and with `cloudRunService` the handler's 5xx rate and latency)
 * and alert policies (failure ratio and depth per queue, handler 5xx ratio and p95 latency, API errors) at the
 * thresholds of {@link DEFAULT_MONITORING_THRESHOLDS}. Pure: the same options give the same JSON.
 *
 * Apply with `gcloud monitoring dashboards create --config-from-file=dashboard.json` and, per policy,
 * `gcloud alpha monitoring policies create --policy-from-file=alert-….json`.
 */
export function monitoringExport(options: MonitoringExportOptions): MonitoringExport {
  const queueIds = [...new Set(Object.values(options.queues ?? {}).map((q) => q.name))].sort();
  if (!queueIds.length) throw new CloudTasksConfigError(MONITORING_NO_QUEUES);
  for (const [name, value] of [['projectId', options.projectId], ['location', options.location], ['cloudRunService', options.cloudRunService], ...queueIds.map((q) => ['queue', q])] as const) {
    if (value !== undefined && !ID.test(value)) throw new CloudTasksConfigError(MONITORING_BAD_SETTING(name, value));
  }
  const thresholds = thresholdsOf(options.thresholds);
  const title = options.displayName ?? 'Cloud Tasks';
  const queues = queueFilter(options.projectId, options.location, queueIds);
  const service = options.cloudRunService ? `resource.type = "cloud_run_revision" AND resource.label.service_name = "${options.cloudRunService}"` : undefined;
  const ctx: Context = { title, queues, service, thresholds, channels: channelsOf(options.notificationChannels), queueIds };
  return { dashboard: dashboardOf(ctx), alertPolicies: policiesOf(ctx) };
}

/** The files the export command writes: `dashboard.json`, then one `alert-….json` per policy. */
export function monitoringExportFiles(exported: MonitoringExport): MonitoringExportFile[] {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [{ fileName: 'dashboard.json', content: json(exported.dashboard) }, ...exported.alertPolicies.map((p) => ({ fileName: p.fileName, content: json(p.policy) }))];
}

interface Context {
  title: string;
  queues: string;
  service?: string;
  thresholds: MonitoringThresholds;
  channels: { critical: string[]; warning: string[] };
  queueIds: string[];
}

function queueFilter(projectId: string, location: string, queueIds: string[]): string {
  const ids = queueIds.map((q) => `"${q}"`).join(', ');
  return `resource.type = "cloud_tasks_queue" AND resource.label.project_id = "${projectId}" AND resource.label.location = "${location}" AND resource.label.queue_id = one_of(${ids})`;
}

const metric = (type: string, scope: string, extra = '') => `metric.type = "${type}" AND ${scope}${extra ? ` AND ${extra}` : ''}`;
const FAILED_ATTEMPT = 'metric.label.response_code != "ok"';
const perMinute = (aligner: Aggregation['perSeriesAligner'], reducer?: Aggregation['crossSeriesReducer'], groupBy?: string[]): Aggregation => ({
  alignmentPeriod: MINUTE,
  perSeriesAligner: aligner,
  ...(reducer ? { crossSeriesReducer: reducer } : {}),
  ...(groupBy ? { groupByFields: groupBy } : {}),
});

function dashboardOf(ctx: Context): CloudMonitoringDashboard {
  const { queues, service, thresholds: t } = ctx;
  const byQueue = [QUEUE_FIELD];
  const charts: Array<Omit<MosaicTile, 'xPos' | 'yPos' | 'width' | 'height'>> = [
    chart('Task attempts per queue (per second)', 'attempts/s', [line(metric(ATTEMPTS, queues), perMinute('ALIGN_RATE', 'REDUCE_SUM', byQueue), '${resource.labels.queue_id}')]),
    chart('Failed task attempts per queue (non-OK response, per second)', 'failures/s', [line(metric(ATTEMPTS, queues, FAILED_ATTEMPT), perMinute('ALIGN_RATE', 'REDUCE_SUM', [QUEUE_FIELD, 'metric.label.response_code']), '${resource.labels.queue_id} ${metric.labels.response_code}')]),
    chart('Queue depth (tasks waiting)', 'tasks', [line(metric(DEPTH, queues), perMinute('ALIGN_MEAN', 'REDUCE_SUM', byQueue), '${resource.labels.queue_id}')], [
      { label: 'warning', value: t.queueDepth.warning.value, color: 'YELLOW', direction: 'ABOVE' },
      { label: 'critical', value: t.queueDepth.critical.value, color: 'RED', direction: 'ABOVE' },
    ]),
    chart('Task attempt delay p95 (scheduled → attempted, ms)', 'ms', [line(metric(ATTEMPT_DELAYS, queues), perMinute('ALIGN_DELTA', 'REDUCE_PERCENTILE_95', byQueue), '${resource.labels.queue_id}')]),
    chart('Failed Cloud Tasks API calls (CreateTask…, per minute)', 'calls/min', [line(metric(API_REQUESTS, queues, FAILED_ATTEMPT), perMinute('ALIGN_SUM', 'REDUCE_SUM', ['metric.label.api_method', 'metric.label.response_code']), '${metric.labels.api_method} ${metric.labels.response_code}')]),
  ];
  if (service) {
    charts.push(
      chart('Job handler 5xx responses (per second)', 'responses/s', [line(metric(RUN_REQUESTS, service, 'metric.label.response_code_class = "5xx"'), perMinute('ALIGN_RATE', 'REDUCE_SUM', ['metric.label.response_code']), '${metric.labels.response_code}')]),
      chart('Job handler latency p95 (ms)', 'ms', [line(metric(RUN_LATENCIES, service), perMinute('ALIGN_DELTA', 'REDUCE_PERCENTILE_95'), 'p95')], [
        { label: 'warning', value: t.handlerLatencyP95Seconds.warning.value * 1000, color: 'YELLOW', direction: 'ABOVE' },
        { label: 'critical', value: t.handlerLatencyP95Seconds.critical.value * 1000, color: 'RED', direction: 'ABOVE' },
      ]),
    );
  }
  const tiles: MosaicTile[] = charts.map((widget, index) => ({ xPos: (index % 2) * 6, yPos: Math.floor(index / 2) * 4, width: 6, height: 4, ...widget }));
  return { displayName: `${ctx.title}: job queues`, mosaicLayout: { columns: 12, tiles } };
}

function chart(title: string, axis: string, dataSets: XyChartDataSet[], thresholds?: NonNullable<MosaicTile['widget']['xyChart']>['thresholds']): Omit<MosaicTile, 'xPos' | 'yPos' | 'width' | 'height'> {
  return { widget: { title, xyChart: { dataSets, yAxis: { label: axis, scale: 'LINEAR' }, ...(thresholds ? { thresholds } : {}) } } };
}

function line(filter: string, aggregation: Aggregation, legendTemplate: string): XyChartDataSet {
  return { timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } }, plotType: 'LINE', minAlignmentPeriod: MINUTE, legendTemplate };
}

function policiesOf(ctx: Context): ExportedAlertPolicy[] {
  const { queues, service, thresholds: t } = ctx;
  const rate = perMinute('ALIGN_RATE', 'REDUCE_SUM', [QUEUE_FIELD]);
  const policies: ExportedAlertPolicy[] = [];
  for (const level of ['critical', 'warning'] as const) {
    const failure = t.taskFailureRatio[level];
    policies.push(policy(ctx, `task-failure-rate-${level}`, level, `task failure rate above ${percent(failure.value)} (${level})`, `Failed task attempts above ${percent(failure.value)} of attempts for ${failure.forSeconds / 60} min`, {
      filter: metric(ATTEMPTS, queues, FAILED_ATTEMPT),
      aggregations: [rate],
      denominatorFilter: metric(ATTEMPTS, queues),
      denominatorAggregations: [rate],
      ...threshold(failure),
    }, 'Share of Cloud Tasks attempts per queue that did not get a 2xx answer (500 retryable failures, 409 busy, 503 store down, timeouts). Look at the job endpoint\'s `job … failed` log lines and the dead letters (`npm run dead-letters -- list`).'));
    const depth = t.queueDepth[level];
    policies.push(policy(ctx, `queue-depth-${level}`, level, `queue depth above ${depth.value} (${level})`, `More than ${depth.value} tasks waiting for ${depth.forSeconds / 60} min`, {
      filter: metric(DEPTH, queues),
      aggregations: [perMinute('ALIGN_MEAN', 'REDUCE_SUM', [QUEUE_FIELD])],
      ...threshold(depth),
    }, 'Tasks are enqueued faster than they are handled: check the handler\'s errors and latency, the queue\'s rate limits (maxDispatchesPerSecond, maxConcurrentDispatches) and whether the queue is paused.'));
  }
  if (service) {
    const errors = t.handler5xxRatio.critical;
    const requests = perMinute('ALIGN_RATE', 'REDUCE_SUM');
    policies.push(policy(ctx, 'handler-5xx-rate-critical', 'critical', `job handler 5xx rate above ${percent(errors.value)} (critical)`, `5xx above ${percent(errors.value)} of requests for ${errors.forSeconds / 60} min`, {
      filter: metric(RUN_REQUESTS, service, 'metric.label.response_code_class = "5xx"'),
      aggregations: [requests],
      denominatorFilter: metric(RUN_REQUESTS, service),
      denominatorAggregations: [requests],
      ...threshold(errors),
    }, 'The job endpoint answers 500 for retryable job failures and 503 when the idempotency store is down with failMode closed, so this counts failing jobs as well as crashes. Cloud Run counts every route of the service.'));
    for (const level of ['critical', 'warning'] as const) {
      const latency = t.handlerLatencyP95Seconds[level];
      policies.push(policy(ctx, `handler-latency-p95-${level}`, level, `job handler p95 latency above ${latency.value}s (${level})`, `p95 request latency above ${latency.value} s for ${latency.forSeconds / 60} min`, {
        filter: metric(RUN_LATENCIES, service),
        aggregations: [perMinute('ALIGN_PERCENTILE_95', 'REDUCE_MAX')],
        comparison: 'COMPARISON_GT',
        thresholdValue: latency.value * 1000,
        duration: `${latency.forSeconds}s`,
        trigger: { count: 1 },
      }, 'Jobs take longer than they should: a slow dependency, or too little CPU or concurrency on the service. Jobs past their queue\'s dispatch deadline are retried.'));
    }
  }
  const api = t.apiErrorsPerMinute.critical;
  policies.push(policy(ctx, 'cloud-tasks-api-errors-critical', 'critical', `Cloud Tasks API errors above ${api.value}/min (critical)`, `More than ${api.value} failed Cloud Tasks API calls per minute for ${api.forSeconds / 60} min`, {
    filter: metric(API_REQUESTS, queues, FAILED_ATTEMPT),
    aggregations: [perMinute('ALIGN_SUM', 'REDUCE_SUM', [QUEUE_FIELD])],
    ...threshold(api),
  }, 'add() is failing against Cloud Tasks (quota, permissions, a missing queue): the enqueuing side gets EnqueueError. Check `npm run queues:sync -- --dry-run` and the service account\'s roles/cloudtasks.enqueuer.'));
  return policies;
}

function policy(ctx: Context, name: string, level: 'critical' | 'warning', what: string, condition: string, threshold: ThresholdCondition, runbook: string): ExportedAlertPolicy {
  return {
    fileName: `alert-${name}.json`,
    policy: {
      displayName: `${ctx.title}: ${what}`,
      documentation: { content: `${runbook}\n\nQueues: ${ctx.queueIds.join(', ')}.`, mimeType: 'text/markdown' },
      userLabels: { severity: level, source: 'nest-cloud-tasks' },
      severity: level === 'critical' ? 'CRITICAL' : 'WARNING',
      combiner: 'OR',
      conditions: [{ displayName: condition, conditionThreshold: threshold }],
      alertStrategy: { autoClose: '1800s' },
      notificationChannels: ctx.channels[level],
      enabled: true,
    },
  };
}

function threshold({ value, forSeconds }: AlertThreshold): Pick<ThresholdCondition, 'comparison' | 'thresholdValue' | 'duration' | 'trigger'> {
  return { comparison: 'COMPARISON_GT', thresholdValue: value, duration: `${forSeconds}s`, trigger: { count: 1 } };
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 10_000) / 100}%`;
}

function channelsOf(channels: MonitoringExportOptions['notificationChannels']): { critical: string[]; warning: string[] } {
  if (!channels) return { critical: [], warning: [] };
  if (Array.isArray(channels)) return { critical: [...channels], warning: [...channels] };
  return { critical: [...(channels.critical ?? [])], warning: [...(channels.warning ?? [])] };
}

function thresholdsOf(overrides: DeepPartial<MonitoringThresholds> | undefined): MonitoringThresholds {
  const merged = structuredClone(DEFAULT_MONITORING_THRESHOLDS);
  for (const [name, levels] of Object.entries(overrides ?? {})) {
    const target = (merged as unknown as Record<string, Record<string, AlertThreshold>>)[name];
    if (!target) throw new CloudTasksConfigError(MONITORING_BAD_THRESHOLD(name));
    for (const [level, given] of Object.entries(levels ?? {})) {
      if (!target[level]) throw new CloudTasksConfigError(MONITORING_BAD_THRESHOLD(`${name}.${level}`));
      const next = { ...target[level], ...(given as Partial<AlertThreshold>) };
      if (!(next.value > 0) || !Number.isInteger(next.forSeconds) || next.forSeconds < 0) throw new CloudTasksConfigError(MONITORING_BAD_THRESHOLD(`${name}.${level}`));
      target[level] = next;
    }
  }
  return merged;
}
