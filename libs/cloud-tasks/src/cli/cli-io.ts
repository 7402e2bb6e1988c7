/** Exit codes of the `nest-cloud-tasks` commands. */
export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** Where a command writes (the process streams by default; tests pass their own). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** The message of an error and of its causes, e.g. `Could not enqueue …: 14 UNAVAILABLE: …` (a cause already quoted is left out). */
export function causeOf(error: unknown): string {
  const norm = (text: string) => text.replace(/Resolution note:/g, '').replace(/\s+/g, ' ').trim();
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const message = norm(current instanceof Error ? current.message : String(current));
    if (message && !messages.some((m) => m.includes(message.slice(0, 60)))) messages.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages.join(': ');
}

/** A plain text table: a header row, then rows, columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
