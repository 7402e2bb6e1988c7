const DURATION = /^(\d+(?:\.\d{1,9})?)s$/;

/** Parses a Cloud Tasks duration string (`'30s'`, `'0.1s'`) into milliseconds; undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Milliseconds → protobuf Duration. */
export function toProtoDuration(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Epoch ms → protobuf Timestamp. */
export function toProtoTimestamp(ms: number): { seconds: number; nanos: number } {
  return toProtoDuration(ms);
}
