/** A seeded pseudo-random source in [0, 1) (mulberry32): the same seed gives the same faults on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A value in [0, 1) fixed by its inputs (a job's seq and attempt), so a job behaves the same whichever instance runs it. */
export function unitHash(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return seededRandom(h)();
}

/** A whole number of milliseconds in [min, max], drawn with `unit` in [0, 1). */
export function between([min, max]: readonly [number, number], unit: number): number {
  return Math.round(min + (max - min) * unit);
}
