import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

interface HeapNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: HeapNode[];
}

/**
 * Summarises a `.cpuprofile` (from `--cpu-prof`): the functions with the most self time, and the inclusive time of
 * frames whose name or file matches a filter; or a `.heapprofile` (from `profile-chain` with `BENCH_ALLOCATIONS`):
 * bytes allocated by function and by package, per request when given `--per N`.
 * `node dist/bench/tools/profile-summary.js FILE [top=40] [filter…] [--per N]`.
 */
function main(): void {
  const args = process.argv.slice(2);
  const perAt = args.indexOf('--per');
  const per = perAt === -1 ? undefined : Number(args.splice(perAt, 2)[1]);
  const [file, topArg = '40', ...filters] = args;
  if (!file) throw new Error('usage: profile-summary FILE.cpuprofile|FILE.heapprofile [top] [filter…] [--per N]');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Profile | { head: HeapNode };
  if ('head' in data) return summariseAllocations(data.head, Number(topArg), per);
  const profile = data;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

  const self = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const key = label(byId.get(id)!);
    self.set(key, (self.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  process.stdout.write(`total sampled ${(total / 1000).toFixed(0)} ms\n\nself time:\n`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) process.stdout.write(`${pct(us)}  ${key}\n`);

  const byPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const key = packageOf(byId.get(id)!.callFrame.url);
    byPackage.set(key, (byPackage.get(key) ?? 0) + us);
  }
  process.stdout.write('\nself time by package:\n');
  for (const [key, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`${pct(us)}  ${key}\n`);

  for (const filter of filters) {
    // Inclusive time: a sample counts once for every distinct matching frame label on its stack.
    const inclusive = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const key = label(byId.get(at)!);
        if (!seen.has(key) && key.includes(filter)) {
          seen.add(key);
          inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
        }
      }
    });
    process.stdout.write(`\ninclusive time of frames matching "${filter}":\n`);
    for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) process.stdout.write(`${pct(us)}  ${key}\n`);
  }
}

function summariseAllocations(head: HeapNode, top: number, per: number | undefined): void {
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const walk = (node: HeapNode) => {
    if (node.selfSize) {
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child);
  };
  walk(head);
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
  const show = (bytes: number) => (per ? `${(bytes / per).toFixed(0).padStart(7)} B/req` : `${(bytes / 1024).toFixed(0).padStart(8)} KiB`);
  process.stdout.write(`allocated ${show(total)}\n\nby function:\n`);
  for (const [key, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${show(bytes)}  ${key}\n`);
  process.stdout.write('\nby package:\n');
  for (const [key, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`${show(bytes)}  ${key}\n`);
}

function shortUrl(url: string): string {
  const at = url.lastIndexOf('node_modules/');
  if (at !== -1) return url.slice(at + 'node_modules/'.length);
  const lib = url.indexOf('/libs/');
  if (lib !== -1) return url.slice(lib + 1);
  const dist = url.indexOf('/dist/');
  return dist !== -1 ? url.slice(dist + 1) : url.replace(/^file:\/\//, '');
}

function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  // NOTE: the packages of this repository run from libs/<package>/dist/<folder>/…; the app and bench from dist/.
  const lib = /libs\/([^/]+)\/(?:dist|src)\/([^/]+)\//.exec(url);
  if (lib) return `libs/${lib[1]}/${lib[2]}`;
  const app = /dist\/(bench|src)\//.exec(url);
  if (app) return app[1];
  return url ? url.replace(/^file:\/\//, '').split('/').slice(0, 3).join('/') : '(native/GC/idle)';
}

// NOTE: piped into head, stdout closes early: that is not an error.
process.stdout.on('error', () => process.exit(0));
main();
