import type { DurationPb, TimestampPb } from '../grpc/proto.types.js';

/** `google.protobuf.Duration` → milliseconds (`undefined` when absent). */
export function durationToMs(d: DurationPb | null | undefined): number | undefined {
  if (!d) return undefined;
  return Number(d.seconds ?? 0) * 1000 + (d.nanos ?? 0) / 1e6;
}

/** Milliseconds (fractional allowed) → `google.protobuf.Duration`. */
export function msToDuration(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** `google.protobuf.Timestamp` → epoch milliseconds. */
export const timestampToMs: (t: TimestampPb | null | undefined) => number | undefined = durationToMs;

/** Epoch milliseconds → `google.protobuf.Timestamp`. */
export const msToTimestamp = msToDuration;

/** Parses a Cloud Tasks duration string such as `'30s'` or `'0.1s'` into milliseconds. */
export function parseDurationString(value: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  if (!match) throw new Error(`Invalid duration "${value}" for ${what}: expected seconds with an "s" suffix, e.g. "10s" or "0.5s".`);
  return Math.round(Number(match[1]) * 1000);
}
