import { parseDuration, toProtoDuration, toProtoTimestamp } from './duration.js';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['30s', 30_000],
    ['0s', 0],
    ['0.5s', 500],
    ['1.25s', 1_250],
    ['3600s', 3_600_000],
    ['0.000000001s', 0],
    [' 10s ', 10_000],
  ])('%j → %d ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(['30', '1m', '-1s', '1.s', '.5s', '1e3s', '1.1234567890s', 's', '', '10 s', '10S'])('%j is not a Cloud Tasks duration', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });
});

describe('protobuf conversions', () => {
  it('toProtoDuration splits milliseconds into seconds and nanos', () => {
    expect(toProtoDuration(0)).toEqual({ seconds: 0, nanos: 0 });
    expect(toProtoDuration(120_000)).toEqual({ seconds: 120, nanos: 0 });
    expect(toProtoDuration(1_500)).toEqual({ seconds: 1, nanos: 500_000_000 });
    expect(toProtoDuration(1)).toEqual({ seconds: 0, nanos: 1_000_000 });
  });

  it('toProtoTimestamp turns epoch ms into a Timestamp', () => {
    const ms = Date.parse('2026-03-01T12:00:00.250Z');
    expect(toProtoTimestamp(ms)).toEqual({ seconds: Math.floor(ms / 1000), nanos: 250_000_000 });
  });
});
