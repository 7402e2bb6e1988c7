/**
 * The parts of the Cloud Monitoring API resources the export writes (`projects.dashboards`, v1; `projects.alertPolicies`,
 * v3), in their JSON form, as `gcloud monitoring dashboards create --config-from-file` and
 * `gcloud alpha monitoring policies create --policy-from-file` read them.
 */

export type Aligner = 'ALIGN_RATE' | 'ALIGN_DELTA' | 'ALIGN_MEAN' | 'ALIGN_MAX' | 'ALIGN_SUM' | 'ALIGN_PERCENTILE_95';
export type Reducer = 'REDUCE_SUM' | 'REDUCE_MAX' | 'REDUCE_MEAN' | 'REDUCE_PERCENTILE_95';

export interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: Aligner;
  crossSeriesReducer?: Reducer;
  groupByFields?: string[];
}

export interface TimeSeriesFilter {
  filter: string;
  aggregation: Aggregation;
}

export interface XyChartDataSet {
  timeSeriesQuery: { timeSeriesFilter?: TimeSeriesFilter; timeSeriesFilterRatio?: { numerator: TimeSeriesFilter; denominator: TimeSeriesFilter } };
  plotType: 'LINE' | 'STACKED_AREA' | 'STACKED_BAR';
  minAlignmentPeriod: string;
  legendTemplate?: string;
}

export interface ChartThreshold {
  label: string;
  value: number;
  color: 'YELLOW' | 'RED';
  direction: 'ABOVE' | 'BELOW';
}

export interface DashboardWidget {
  title: string;
  xyChart?: { dataSets: XyChartDataSet[]; yAxis: { label: string; scale: 'LINEAR' }; thresholds?: ChartThreshold[] };
  text?: { content: string; format: 'MARKDOWN' };
}

export interface MosaicTile {
  xPos: number;
  yPos: number;
  width: number;
  height: number;
  widget: DashboardWidget;
}

/** A Cloud Monitoring dashboard (`mosaicLayout`, 12 columns). */
export interface CloudMonitoringDashboard {
  displayName: string;
  mosaicLayout: { columns: number; tiles: MosaicTile[] };
  labels?: Record<string, string>;
}

export interface ThresholdCondition {
  filter: string;
  aggregations: Aggregation[];
  /** With a denominator, the condition compares numerator / denominator (a ratio) to the threshold. */
  denominatorFilter?: string;
  denominatorAggregations?: Aggregation[];
  comparison: 'COMPARISON_GT' | 'COMPARISON_LT';
  thresholdValue: number;
  duration: string;
  trigger: { count: number };
}

/** A Cloud Monitoring alert policy with metric-threshold conditions. */
export interface CloudMonitoringAlertPolicy {
  displayName: string;
  documentation: { content: string; mimeType: 'text/markdown' };
  userLabels: Record<string, string>;
  severity: 'CRITICAL' | 'WARNING';
  combiner: 'OR';
  conditions: Array<{ displayName: string; conditionThreshold: ThresholdCondition }>;
  alertStrategy: { autoClose: string };
  notificationChannels: string[];
  enabled: boolean;
}
