import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIBS = fileURLToPath(new URL('.', import.meta.url));
const PACKAGES = ['cloud-tasks', 'cloud-tasks-emulator', 'upstash-local'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(e2e-)?spec\.ts$/.test(entry) ? [path] : [];
  });
}

/** The package a bare specifier names: `@scope/name` or `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

// NOTE: a package that imports what its package.json does not declare works in the monorepo (hoisted) and breaks
// once installed from the registry.
describe.each(PACKAGES)('libs/%s/package.json', (name) => {
  const manifest = JSON.parse(readFileSync(join(LIBS, name, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);

  it('declares every package its code imports (as a dependency or a peer)', () => {
    const imported = new Set<string>();
    for (const file of sourceFiles(join(LIBS, name, 'src'))) {
      const code = readFileSync(file, 'utf8');
      for (const [, specifier] of code.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+'([^'.][^']*)'|import\(\s*'([^'.][^']*)'\s*\)/gm)) {
        if (specifier) imported.add(packageOf(specifier));
      }
      for (const [, specifier] of code.matchAll(/import\(\s*'([^'.][^']*)'\s*\)|^import\s+'([^'.][^']*)';/gm)) {
        if (specifier) imported.add(packageOf(specifier));
      }
    }
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const missing = [...imported].filter((pkg) => !builtins.has(pkg) && !pkg.startsWith('node:') && pkg !== manifest.name && !declared.has(pkg)).sort();
    expect(missing).toEqual([]);
  });

  it('depends on nothing of the Nest module unless it is the module', () => {
    if (name === 'cloud-tasks') return;
    expect([...declared].filter((pkg) => pkg.startsWith('@nestjs/') || pkg === '@nest-cloud-tasks/core')).toEqual([]);
  });
});
