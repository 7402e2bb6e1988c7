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
