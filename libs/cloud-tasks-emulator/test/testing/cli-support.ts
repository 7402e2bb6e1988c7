import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.resolve(here, '../../src');
const repoRoot = path.resolve(here, '../../../..');
export const READY = /^cloud-tasks-emulator listening grpc=(\S+) http=(\S+)$/;

/** Transpiles the library (no type check: `tsc` already covers that) into a temp dir that resolves the repo's node_modules. */
export async function buildCli(outDir: string): Promise<string> {
  const files = (await readdir(srcDir, { recursive: true })).map((f) => path.join(srcDir, f));
  for (const file of files.filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    });
    const target = path.join(outDir, 'src', path.relative(srcDir, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await writeFile(path.join(outDir, 'package.json'), '{"type":"module"}');
  await symlink(path.join(repoRoot, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  return path.join(outDir, 'src', 'cli.js');
}

export function run(cli: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

export function readyLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`CLI exited with ${code} before it was ready: ${out}`)));
  });
}

