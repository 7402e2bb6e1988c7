import { describe, expect, it } from '@jest/globals';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import { queueConfig } from '../testing/test-app.js';
import { MONITORING_BAD_SETTING, MONITORING_BAD_THRESHOLD, MONITORING_NO_QUEUES } from './monitoring.messages.js';
import { DEFAULT_MONITORING_THRESHOLDS, monitoringExport, monitoringExportFiles, type MonitoringExportOptions } from './monitoring-export.js';

const options: MonitoringExportOptions = {
  projectId: 'catchup-479221',
  location: 'us-central1',
  queues: { 'calendar-sync': queueConfig('calendar-sync-queue'), 'token-refresh': queueConfig('token-refresh-queue'), 'calendar-sync-2': queueConfig('calendar-sync-queue') },
  cloudRunService: 'catchup',
  notificationChannels: { critical: ['projects/catchup-479221/notificationChannels/pager'], warning: ['projects/catchup-479221/notificationChannels/slack'] },
};
const QUEUES = 'resource.type = "cloud_tasks_queue" AND resource.label.project_id = "catchup-479221" AND resource.label.location = "us-central1" AND resource.label.queue_id = one_of("calendar-sync-queue", "token-refresh-queue")';
const SERVICE = 'resource.type = "cloud_run_revision" AND resource.label.service_name = "catchup"';

describe('monitoringExport', () => {
  const exported = monitoringExport(options);
  const byFile = Object.fromEntries(exported.alertPolicies.map((p) => [p.fileName, p.policy]));

  it('writes one policy per alert, each for the configured queues once (shared queues are not repeated)', () => {
    expect(Object.keys(byFile)).toEqual([
      'alert-task-failure-rate-critical.json',
      'alert-queue-depth-critical.json',
      'alert-task-failure-rate-warning.json',
      'alert-queue-depth-warning.json',
      'alert-handler-5xx-rate-critical.json',
      'alert-handler-latency-p95-critical.json',
      'alert-handler-latency-p95-warning.json',
      'alert-cloud-tasks-api-errors-critical.json',
    ]);
    for (const policy of Object.values(byFile)) {
      expect(policy).toMatchObject({ combiner: 'OR', enabled: true, alertStrategy: { autoClose: '1800s' }, documentation: { mimeType: 'text/markdown' } });
      expect(policy.conditions).toHaveLength(1);
    }
  });

  it('task failure rate: failed attempts over all attempts per queue, 5 % for 5 min critical and 1 % for 10 min warning', () => {
    const rate = { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.queue_id'] };
    expect(byFile['alert-task-failure-rate-critical.json']).toMatchObject({
      severity: 'CRITICAL',
      userLabels: { severity: 'critical' },
      notificationChannels: ['projects/catchup-479221/notificationChannels/pager'],
      conditions: [
        {
          conditionThreshold: {
            filter: `metric.type = "cloudtasks.googleapis.com/queue/task_attempt_count" AND ${QUEUES} AND metric.label.response_code != "ok"`,
            aggregations: [rate],
            denominatorFilter: `metric.type = "cloudtasks.googleapis.com/queue/task_attempt_count" AND ${QUEUES}`,
            denominatorAggregations: [rate],
            comparison: 'COMPARISON_GT',
            thresholdValue: 0.05,
            duration: '300s',
          },
        },
      ],
    });
    expect(byFile['alert-task-failure-rate-warning.json']).toMatchObject({
      severity: 'WARNING',
      notificationChannels: ['projects/catchup-479221/notificationChannels/slack'],
      conditions: [{ conditionThreshold: { thresholdValue: 0.01, duration: '600s' } }],
    });
  });

  it('queue depth per queue: 1,000 for 10 min critical, 500 for 15 min warning', () => {
    const depth = (file: string) => byFile[file].conditions[0].conditionThreshold;
    expect(depth('alert-queue-depth-critical.json')).toMatchObject({ filter: `metric.type = "cloudtasks.googleapis.com/queue/depth" AND ${QUEUES}`, thresholdValue: 1000, duration: '600s' });
    expect(depth('alert-queue-depth-warning.json')).toMatchObject({ thresholdValue: 500, duration: '900s' });
    expect(depth('alert-queue-depth-critical.json').aggregations[0]).toEqual({ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MEAN', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.queue_id'] });
  });

  it('handler: 5xx over all requests of the Cloud Run service above 5 %, p95 latency above 60 s / 30 s (in ms)', () => {
    expect(byFile['alert-handler-5xx-rate-critical.json'].conditions[0].conditionThreshold).toMatchObject({
      filter: `metric.type = "run.googleapis.com/request_count" AND ${SERVICE} AND metric.label.response_code_class = "5xx"`,
      denominatorFilter: `metric.type = "run.googleapis.com/request_count" AND ${SERVICE}`,
      thresholdValue: 0.05,
    });
    expect(byFile['alert-handler-latency-p95-critical.json'].conditions[0].conditionThreshold).toMatchObject({ filter: `metric.type = "run.googleapis.com/request_latencies" AND ${SERVICE}`, thresholdValue: 60_000 });
    expect(byFile['alert-handler-latency-p95-warning.json'].conditions[0].conditionThreshold.thresholdValue).toBe(30_000);
  });

  it('the dashboard charts attempts, failures, depth, delays and API errors per queue, and the handler when a service is given', () => {
    const { dashboard } = exported;
    expect(dashboard.displayName).toBe('Cloud Tasks: job queues');
    expect(dashboard.mosaicLayout.columns).toBe(12);
    const tiles = dashboard.mosaicLayout.tiles;
    expect(tiles.map((t) => t.widget.title)).toEqual([
      'Task attempts per queue (per second)',
      'Failed task attempts per queue (non-OK response, per second)',
      'Queue depth (tasks waiting)',
      'Task attempt delay p95 (scheduled → attempted, ms)',
      'Failed Cloud Tasks API calls (CreateTask…, per minute)',
      'Job handler 5xx responses (per second)',
      'Job handler latency p95 (ms)',
    ]);
    // Two columns of 6, rows of 4, no overlap.
    expect(tiles.map((t) => [t.xPos, t.yPos, t.width, t.height])).toEqual([[0, 0, 6, 4], [6, 0, 6, 4], [0, 4, 6, 4], [6, 4, 6, 4], [0, 8, 6, 4], [6, 8, 6, 4], [0, 12, 6, 4]]);
    expect(tiles[0].widget.xyChart?.dataSets[0].timeSeriesQuery.timeSeriesFilter).toEqual({
      filter: `metric.type = "cloudtasks.googleapis.com/queue/task_attempt_count" AND ${QUEUES}`,
      aggregation: { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.queue_id'] },
    });
    expect(tiles[2].widget.xyChart?.thresholds?.map((t) => t.value)).toEqual([500, 1000]);
  });

  it('without a Cloud Run service: the queues only', () => {
    const queuesOnly = monitoringExport({ ...options, cloudRunService: undefined, notificationChannels: ['projects/p/notificationChannels/all'] });
    expect(queuesOnly.dashboard.mosaicLayout.tiles).toHaveLength(5);
    expect(queuesOnly.alertPolicies.map((p) => p.fileName).filter((f) => f.includes('handler'))).toEqual([]);
    expect(new Set(queuesOnly.alertPolicies.flatMap((p) => p.policy.notificationChannels))).toEqual(new Set(['projects/p/notificationChannels/all']));
    expect(JSON.stringify(queuesOnly)).not.toContain('run.googleapis.com');
  });

  it('thresholds can be changed one level at a time; the defaults stay untouched', () => {
    const custom = monitoringExport({ ...options, thresholds: { queueDepth: { critical: { value: 5000 } } } });
    const critical = custom.alertPolicies.find((p) => p.fileName === 'alert-queue-depth-critical.json')!.policy;
    expect(critical.conditions[0].conditionThreshold).toMatchObject({ thresholdValue: 5000, duration: '600s' });
    expect(critical.displayName).toBe('Cloud Tasks: queue depth above 5000 (critical)');
    expect(DEFAULT_MONITORING_THRESHOLDS.queueDepth.critical.value).toBe(1000);
  });

  it('refuses what would make a broken filter, with a message naming the setting', () => {
    expect(() => monitoringExport({ ...options, queues: {} })).toThrow(new CloudTasksConfigError(MONITORING_NO_QUEUES));
    expect(() => monitoringExport({ ...options, cloudRunService: 'bad" OR "x' })).toThrow(MONITORING_BAD_SETTING('cloudRunService', 'bad" OR "x'));
    expect(() => monitoringExport({ ...options, thresholds: { queueDepth: { critical: { value: -1 } } } })).toThrow(MONITORING_BAD_THRESHOLD('queueDepth.critical'));
    expect(() => monitoringExport({ ...options, thresholds: { nope: {} } as never })).toThrow(MONITORING_BAD_THRESHOLD('nope'));
  });

  it('monitoringExportFiles: dashboard.json first, then the policies, as JSON that reads back to the same objects', () => {
    const files = monitoringExportFiles(exported);
    expect(files.map((f) => f.fileName)).toEqual(['dashboard.json', ...exported.alertPolicies.map((p) => p.fileName)]);
    expect(JSON.parse(files[0].content)).toEqual(exported.dashboard);
    expect(JSON.parse(files[1].content)).toEqual(exported.alertPolicies[0].policy);
    expect(monitoringExportFiles(monitoringExport(options))).toEqual(files);
  });
});
