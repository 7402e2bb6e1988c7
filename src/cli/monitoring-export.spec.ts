import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudMonitoringAlertPolicy, CloudMonitoringDashboard } from '@nest-cloud-tasks/core';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { MONITORING_EXPORT_USAGE, monitoringExportCli } from './monitoring-export.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const ENV = { GCP_PROJECT_ID: 'catchup-479221', GCP_REGION: 'us-central1' };

describe('npm run monitoring:export', () => {
  it('writes dashboard.json and one file per alert policy, for the 11 queues of the example', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'monitoring-export-'));
    try {
      const { io, out } = capture();
      const code = await monitoringExportCli(['--out', dir, '--service', 'catchup', '--channel', 'projects/catchup-479221/notificationChannels/1'], { io, env: ENV });
      expect(code).toBe(0);
      const files = (await readdir(dir)).sort();
      expect(files).toContain('dashboard.json');
      expect(files.filter((f) => f.startsWith('alert-'))).toHaveLength(8);
      const dashboard = JSON.parse(await readFile(join(dir, 'dashboard.json'), 'utf8')) as CloudMonitoringDashboard;
      const filter = dashboard.mosaicLayout.tiles[0].widget.xyChart!.dataSets[0].timeSeriesQuery.timeSeriesFilter!.filter;
      for (const queue of Object.values(QUEUE_CONFIGS)) expect(filter).toContain(`"${queue.name}"`);
      const policy = JSON.parse(await readFile(join(dir, 'alert-handler-5xx-rate-critical.json'), 'utf8')) as CloudMonitoringAlertPolicy;
      expect(policy.notificationChannels).toEqual(['projects/catchup-479221/notificationChannels/1']);
      expect(policy.conditions[0].conditionThreshold.filter).toContain('resource.label.service_name = "catchup"');
      expect(out.join('\n')).toContain(`gcloud monitoring dashboards create --config-from-file=${join(dir, 'dashboard.json')}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--stdout prints the export; the service comes from K_SERVICE on Cloud Run', async () => {
    const { io, out } = capture();
    expect(await monitoringExportCli(['--stdout'], { io, env: { ...ENV, K_SERVICE: 'catchup-jobs' } })).toBe(0);
    const printed = JSON.parse(out.join('')) as { alertPolicies: Array<{ fileName: string }> };
    expect(printed.alertPolicies.map((p) => p.fileName)).toContain('alert-handler-latency-p95-critical.json');
    expect(out.join('')).toContain('resource.label.service_name = \\"catchup-jobs\\"');
  });

  it('without the project and region: a usage error that says which variables', async () => {
    const { io, err } = capture();
    expect(await monitoringExportCli(['--stdout'], { io, env: {} })).toBe(2);
    expect(err.join('')).toContain('GCP_PROJECT_ID and GCP_REGION must be set');
    const bad = capture();
    expect(await monitoringExportCli(['--nope'], { io: bad.io, env: ENV })).toBe(2);
    expect(bad.err.join('')).toContain(MONITORING_EXPORT_USAGE);
  });
});
