export const REDACTED = '[REDACTED]';

/** Deeper than any body the job endpoint accepts (its payload limits default to 64 levels). */
const MAX_DEPTH = 256;
/** Secrets shorter than this are masked only where they stand alone, so that "42" does not mask "1425". */
const SHORT_SECRET = 4;

/** Case-insensitive substring match of a key against the sensitive key list. */
export function isSensitiveKey(key: string, keys: readonly string[]): boolean {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  return keys.some((k) => lower.includes(k.toLowerCase().replace(/[-_]/g, '')));
}

/** A deep copy of `value` with the values of sensitive-looking keys replaced by `[REDACTED]`, at any depth. */
export function redact(value: unknown, keys: readonly string[], depth = 0, path: Set<object> = new Set()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || path.has(value)) return REDACTED;
  path.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redact(v, keys, depth + 1, path));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k, keys) ? REDACTED : redact(v, keys, depth + 1, path);
    return out;
  } finally {
    path.delete(value);
  }
}

/** Masks, inside `text`, every string value that sits under a sensitive key of `data` (e.g. echoed in an error). */
export function redactText(text: string, data: unknown, keys: readonly string[]): string {
  const secrets = new Set<string>();
  collectSecrets(data, keys, secrets, false, 0, new Set());
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = secret.length >= SHORT_SECRET ? out.split(secret).join(REDACTED) : out.replace(standalone(secret), REDACTED);
  }
  return out;
}

function standalone(secret: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g');
}

function collectSecrets(value: unknown, keys: readonly string[], into: Set<string>, sensitive: boolean, depth: number, path: Set<object>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const s = String(value);
    if (sensitive && s.length > 0) into.add(s);
    return;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || path.has(value)) return;
  path.add(value);
  for (const [k, v] of Object.entries(value)) collectSecrets(v, keys, into, sensitive || isSensitiveKey(k, keys), depth + 1, path);
  path.delete(value);
}
