import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** `file › test title start` references of the README's fidelity table. */
async function fidelityReferences(): Promise<{ row: string; file: string; title?: string }[]> {
  const readme = await readFile(path.join(here, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Fidelity'), readme.indexOf('## What it does not emulate'));
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| behaviour') && !line.startsWith('| ---'));
  return rows.flatMap((line) => {
    const cells = line.split(' | ');
    const tested = cells[cells.length - 1].replace(/\s*\|$/, '');
    return [...tested.matchAll(/`([\w.-]+-spec\.ts)`(?: › ([^,|]+?))?(?=,|$)/g)].map((m) => ({ row: cells[0].slice(2), file: m[1], title: m[2]?.trim() }));
  });
}

describe('the README fidelity table', () => {
  it('names, for every behaviour, a test that exists', async () => {
    const refs = await fidelityReferences();
    expect(refs.length).toBeGreaterThanOrEqual(12);
    for (const { row, file, title } of refs) {
      const source = await readFile(path.join(here, file), 'utf8').catch(() => '');
      expect([row, file, source.length > 0]).toEqual([row, file, true]);
      if (title) expect([row, title, source.includes(title)]).toEqual([row, title, true]);
    }
  });
});
