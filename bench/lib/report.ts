import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fmt, round } from './stats.js';

export type Verdict = 'PASS' | 'MISS' | 'INFO';

/** One line of a figure's table: what we measured, what it is compared with, and whether the target holds. */
export interface FigureRow {
  metric: string;
  /** Our side. */
  measured: number | string;
  unit?: string;
  /** What it is held against (measured in the same run), when there is something. */
  baseline?: number | string;
  baselineLabel?: string;
  /** measured / baseline (or the difference, for "added" figures), as printed. */
  ratio?: string;
  /** The target, as a sentence fragment (`≥ 0.7×`). */
  target?: string;
  verdict: Verdict;
  /** When a target is missed: by how much, in words. */
  shortfall?: string;
}

/** One figure of the benchmark: a table of rows, each measured against something from the same run. */
export interface Figure {
  id: string;
  title: string;
  /** A few words naming the figure in the summary table (the title otherwise). */
  short?: string;
  /** The target in words, as the project holds itself to it. */
  design: string;
  rows: FigureRow[];
  notes: string[];
  /** Everything measured, for bench/results/latest.json. */
  raw: Record<string, unknown>;
}

export function ratioText(measured: number, baseline: number): string {
  if (!Number.isFinite(measured) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  return `${(measured / baseline).toFixed(2)}×`;
}

/**
 * A row comparing `measured` to `baseline` against a minimum (`min`) or maximum (`max`) ratio; `label` names the bound
 * when it is not the target (`moonshot`).
 */
export function ratioRow(
  metric: string,
  measured: number,
  baseline: number,
  bound: { min?: number; max?: number; label?: string },
  extra: Partial<FigureRow> = {},
): FigureRow {
  const ratio = measured / baseline;
  const ok = Number.isFinite(ratio) && (bound.min === undefined || ratio >= bound.min) && (bound.max === undefined || ratio <= bound.max);
  const label = bound.label ?? 'target';
  const target = `${bound.min !== undefined ? `≥ ${bound.min}×` : `≤ ${bound.max}×`}${label === 'target' ? '' : ` (${label})`}`;
  let shortfall: string | undefined;
  if (!ok && Number.isFinite(ratio)) {
    shortfall =
      bound.min !== undefined
        ? `${ratio.toFixed(2)}× instead of ≥ ${bound.min}× (${fmt(((bound.min - ratio) / bound.min) * 100)} % short of the ${label})`
        : `${ratio.toFixed(2)}× instead of ≤ ${bound.max}× (${fmt(((ratio - bound.max!) / bound.max!) * 100)} % over the ${label})`;
  }
  return { metric, measured, baseline, ratio: ratioText(measured, baseline), target, verdict: ok ? 'PASS' : 'MISS', shortfall, ...extra };
}

/**
 * A row holding a value (an absolute figure or a difference of two sides of one run) to a maximum: `≤ max unit`.
 * `label` names the bound in the shortfall text (`target`, `moonshot`).
 */
export function limitRow(metric: string, value: number, max: number, unit: string, extra: Partial<FigureRow> & { label?: string; signed?: boolean } = {}): FigureRow {
  const { label = 'target', signed = false, ...rest } = extra;
  const ok = Number.isFinite(value) && value <= max;
  const shown = (v: number) => `${signed && v >= 0 ? '+' : ''}${fmt(v)} ${unit}`;
  const shortfall = ok ? undefined : `${shown(value)} instead of ≤ ${shown(max)}: ${fmt(value - max)} ${unit} (${fmt(((value - max) / max) * 100)} %) over the ${label}`;
  return { metric, measured: round(value, 4), unit, ratio: signed ? shown(value) : undefined, target: `≤ ${shown(max)}${label === 'target' ? '' : ` (${label})`}`, verdict: ok ? 'PASS' : 'MISS', shortfall, ...rest };
}

export function infoRow(metric: string, measured: number | string, extra: Partial<FigureRow> = {}): FigureRow {
  return { metric, measured, verdict: 'INFO', ...extra };
}

function cell(value: number | string | undefined, unit?: string): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? fmt(value, unit) : value;
}

/** Renders a figure as a fixed-width table. */
export function renderFigure(figure: Figure): string {
  const header = ['metric', 'measured', 'against (same run)', 'ratio', 'target', 'result'];
  const rows = figure.rows.map((r) => [
    r.metric,
    cell(r.measured, r.unit),
    r.baseline === undefined ? '' : `${cell(r.baseline, r.unit)}${r.baselineLabel ? ` ${r.baselineLabel}` : ''}`,
    r.ratio ?? '',
    r.target ?? '',
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const out = [`\n## ${figure.title}`, `target: ${figure.design}`, '', line(header), rule, ...rows.map(line)];
  const misses = figure.rows.filter((r) => r.verdict === 'MISS');
  for (const miss of misses) out.push(`MISS ${miss.metric}: ${miss.shortfall ?? 'target not met'}`);
  for (const note of figure.notes) out.push(`- ${note}`);
  return out.join('\n');
}

/** The summary table: one line per row with a target. */
export function renderSummary(figures: Figure[]): string {
  const rows = figures.flatMap((f) => f.rows.filter((r) => r.verdict !== 'INFO').map((r) => ({ figure: f.short ?? f.title, ...r })));
  if (rows.length === 0) return '';
  const header = ['figure', 'metric', 'ratio / value', 'target', 'result'];
  const cells = rows.map((r) => [r.figure, r.metric, r.ratio ?? cell(r.measured, r.unit), r.target ?? '', r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const pass = rows.filter((r) => r.verdict === 'PASS').length;
  return ['\n## Summary', '', line(header), rule, ...cells.map(line), '', `${pass}/${rows.length} targets met.`].join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
