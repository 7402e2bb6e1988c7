/**
 * JSON with object keys sorted at every level, so `{a:1,b:2}` and `{b:2,a:1}` serialise identically.
 * Arrays keep their order. Follows JSON.stringify for toJSON and undefined members.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') {
    return sortKeys(value.toJSON());
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    // NOTE: a null-prototype object keeps an own "__proto__" key as data, as JSON.stringify does.
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Why `value` cannot travel as JSON unchanged, or undefined when it can: functions, symbols, bigints,
 * non-finite numbers, `undefined` at the top, and cycles are refused instead of silently dropped or nulled.
 */
export function jsonProblem(value: unknown, path = 'data', seen = new Set<object>()): string | undefined {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      return `${path} is a ${typeof value}, which JSON cannot carry`;
    case 'undefined':
      return path === 'data' ? 'data is undefined; pass an object (or null)' : undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON turns into null`;
    case 'object': {
      if (value === null) return undefined;
      if ('toJSON' in value && typeof value.toJSON === 'function') return undefined;
      if (seen.has(value)) return `${path} is a circular reference`;
      seen.add(value);
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
        const problem = jsonProblem(child, childPath, seen);
        if (problem) return problem;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return undefined;
  }
}
