import type { ScenarioRow } from './chaos-stack.js';

const COLUMNS = ['scenario', 'sent', 'completed', 'lost', 'lost w/o DL', 'run twice', 'dead letters', 'false DL', 'unprotected', 'wall', 'result'] as const;

function cells(row: ScenarioRow): string[] {
  const t = row.tally;
  const result = row.error ? 'ERROR' : row.violations.length > 0 ? 'FAIL' : 'PASS';
  if (!t) return [row.scenario, '', '', '', '', '', '', '', '', seconds(row.wallMs), result];
  const twice = t.runTwice > 0 && t.runTwiceAfterKill > 0 ? `${t.runTwice} (${t.runTwiceAfterKill} after a kill)` : String(t.runTwice);
  return [
    row.scenario,
    String(t.sent),
    String(t.completed),
    String(t.lost),
    String(t.lostWithoutDeadLetter),
    twice,
    String(t.deadLetters),
    String(t.falseDeadLetters),
    t.unprotected === undefined ? '–' : String(t.unprotected),
    seconds(row.wallMs),
    result,
  ];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The fault table (Markdown), then each row's label, misses and notes. */
export function renderChaosReport(rows: readonly ScenarioRow[], heading: string): string {
  const body = rows.map(cells);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...body.map((r) => r[i].length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  const out = [`## ${heading}`, '', line(COLUMNS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line), ''];
  for (const row of rows) {
    out.push(`- ${row.scenario}: ${row.label}`);
    if (row.error) out.push(`  ERROR ${row.error}`);
    for (const miss of row.violations) out.push(`  MISS ${miss}`);
    for (const note of row.notes) out.push(`  ${note}`);
  }
  const failed = rows.filter((r) => r.error || r.violations.length > 0).length;
  out.push('', failed === 0 ? `All ${rows.length} rows met their targets.` : `${failed} of ${rows.length} rows missed a target.`);
  return out.join('\n');
}
