/**
 * A value read back through `@upstash/redis`: already an object with automatic deserialisation (the default),
 * JSON text without it. Undefined when it is neither.
 */
export function parseStoredJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
