export const REDACTED = '[REDACTED]';

/** Case-insensitive substring match of a key against the sensitive key list. */
export function isSensitiveKey(key: string, keys: readonly string[]): boolean {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  return keys.some((k) => lower.includes(k.toLowerCase().replace(/[-_]/g, '')));
}

/** A deep copy of `value` with the values of sensitive-looking keys replaced by `[REDACTED]`. */
export function redact(value: unknown, keys: readonly string[], depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, keys, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k, keys) ? REDACTED : redact(v, keys, depth + 1);
  return out;
}

/** Masks, inside `text`, every string value that sits under a sensitive key of `data` (e.g. echoed in an error). */
export function redactText(text: string, data: unknown, keys: readonly string[]): string {
  const secrets = new Set<string>();
  collectSecrets(data, keys, secrets, false, 0);
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
}

function collectSecrets(value: unknown, keys: readonly string[], into: Set<string>, sensitive: boolean, depth: number): void {
  if (depth > 32) return;
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value);
    if (sensitive && s.length >= 3) into.add(s);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) collectSecrets(v, keys, into, sensitive || isSensitiveKey(k, keys), depth + 1);
}
