#!/usr/bin/env node
// Ports the test files of @upstash/redis (upstash/redis-js, packages/redis/pkg/**/*.test.ts, MIT, see LICENSE) to run
// with this repository's Jest against upstash-local: bun:test → Jest, the client's internal command classes and
// HttpClient → shims over the package's public API (shim/), excluded files and skipped tests listed in exclusions.mjs
// with the reason. Run it by hand when updating the vendored copy; nothing is fetched at test time.
//
//   node libs/upstash-local/test/testing/redis-js/port.mjs /path/to/redis-js/packages/redis/pkg COMMIT
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONCURRENT_FILES, CONSTANTS, EXCLUDED_FILES, EXCLUDED_PATTERNS, RUN_LAST, SKIPPED_TESTS } from './exclusions.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [source, commit = 'unknown'] = process.argv.slice(2);
if (!source) {
  process.stderr.write('usage: port.mjs <redis-js>/packages/redis/pkg [commit]\n');
  process.exit(2);
}
const out = path.join(here, 'suite');
rmSync(out, { recursive: true, force: true });

const files = readdirSync(source, { recursive: true })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => f.split(path.sep).join('/'))
  .sort();
// NOTE: the helpers of shim/test-utils.ts use these two.
const commandNames = new Set(['DelCommand', 'XAddCommand']);
const ported = [];
const SHIMS = {
  'bun:test': 'bun-test',
  bun: 'bun',
  'test-utils': 'test-utils',
  redis: 'redis',
  pipeline: 'redis',
  error: 'redis',
  http: 'http',
  search: 'redis',
};

for (const file of files) {
  if (EXCLUDED_FILES[file] || EXCLUDED_PATTERNS.some(({ pattern }) => pattern.test(file))) continue;
  const dir = path.posix.dirname(file);
  const shim = (name) => `${path.posix.relative(dir === '.' ? '' : dir, '../shim') || '.'}/${name}.js`.replace(/^(?!\.)/, './');
  let text = readFileSync(path.join(source, file), 'utf8');
  text = text.replace(/^import\s+type\s[^;]*;\n?/gm, '');
  text = text.replace(/^import\s+([\s\S]*?)\s+from\s+"([^"]+)";/gm, (_, clause, spec) => {
    const values = clause.replace(/\btype\s+\w+(\s+as\s+\w+)?,?/g, '').replace(/\{\s*,?\s*\}/, '{}');
    if (/^\{\s*\}$/.test(values.trim())) return '';
    if (spec === '../platforms/nodejs') return `import ${values} from "@upstash/redis";`;
    const base = spec.replace(/\.ts$/, '').split('/').pop();
    const key = spec.startsWith('bun') ? spec : SHIMS[base] ? base : undefined;
    if (key) return `import ${values} from "${shim(SHIMS[key])}";`;
    if (base.endsWith('.test')) return `import ${values} from "${spec.replace(/\.ts$/, '')}.js";`;
    const names = values.replace(/[{}]/g, '').split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean);
    const constants = names.filter((name) => CONSTANTS.includes(name));
    const commands = names.filter((name) => !CONSTANTS.includes(name));
    for (const name of commands) commandNames.add(name);
    return [
      commands.length ? `import { ${commands.join(', ')} } from "${shim('commands')}";` : '',
      constants.length ? `import { ${constants.join(', ')} } from "${shim('constants')}";` : '',
    ].filter(Boolean).join('\n');
  });
  for (const title of SKIPPED_TESTS[file] ?? []) {
    // NOTE: `within` names the describe block when the title alone is ambiguous.
    const from = title.within ? text.indexOf(`describe(${JSON.stringify(title.within)}`) : 0;
    const pattern = new RegExp(`\\btest\\((\\s*)(["'\`])${title.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\2`);
    const match = from < 0 ? null : pattern.exec(text.slice(from));
    if (!match) throw new Error(`${file}: no test named "${title.name}"${title.within ? ` in "${title.within}"` : ''} to skip.`);
    const at = from + match.index;
    text = `${text.slice(0, at)}test.skip${text.slice(at + 'test'.length)}`;
  }
  const concurrent = CONCURRENT_FILES.includes(file);
  if (concurrent) {
    if (/\b(beforeEach|afterEach|beforeAll)\(/.test(text)) throw new Error(`${file} has per-test or setup hooks: it cannot run concurrently.`);
    // NOTE: Jest runs concurrent tests together only when they share a describe block: these files' blocks are
    // flattened into the root one (their names kept as prefixes), so all their waits overlap.
    text = text.replace(/\btest\(/g, 'test.concurrent(').replace(/\bdescribe\(/g, 'flatDescribe(');
  }
  // NOTE: every other file in one describe block: the suite runs as one Jest file, and each file's root hooks stay its own.
  const importEnd = [...text.matchAll(/^import [^;]*;$/gm)].reduce((end, m) => Math.max(end, m.index + m[0].length), 0);
  const block = concurrent ? 'flatDescribe' : 'describe';
  text = `${text.slice(0, importEnd)}\n\n${block}(${JSON.stringify(file)}, () => {\n${text.slice(importEnd)}\n});\n`;
  text = text.replace(/import \{([^}]*)\} from "([^"]*bun-test\.js)";/, (m, names, from) => {
    const wanted = new Set(names.split(',').map((n) => n.trim()).filter(Boolean));
    wanted.add(block);
    return `import { ${[...wanted].join(', ')} } from "${from}";`;
  });
  const header = `// @ts-nocheck\n// Ported from upstash/redis-js ${commit}, packages/redis/pkg/${file} (MIT, see LICENSE): imports rewritten by port.mjs.\n`;
  mkdirSync(path.join(out, dir), { recursive: true });
  writeFileSync(path.join(out, file), header + text);
  ported.push(file);
}

writeFileSync(
  path.join(here, 'shim', 'commands.ts'),
  `// Generated by port.mjs: every command class the ported tests import.\nimport { commandClass } from './commands.runtime.js';\n\n` +
    [...commandNames].sort().map((name) => `export const ${name} = commandClass('${name}');`).join('\n') +
    '\n',
);
writeFileSync(
  path.join(out, 'index.ts'),
  `// Generated by port.mjs: the ported test files of upstash/redis-js ${commit}.\n` +
    [...ported.filter((f) => !RUN_LAST.test(f)), ...ported.filter((f) => RUN_LAST.test(f))].map((f) => `import './${f.replace(/\.ts$/, '.js')}';`).join('\n') +
    '\n',
);
process.stdout.write(`ported ${ported.length} of ${files.length} test files, ${commandNames.size} command classes\n`);
