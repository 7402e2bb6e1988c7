import { TombstoneRegistry } from './tombstone.registry.js';

describe('TombstoneRegistry', () => {
  it('remembers a name for the TTL, then forgets it', () => {
    const t = new TombstoneRegistry(1000);
    t.add('a', 0);
    expect(t.has('a', 999)).toBe(true);
    expect(t.has('a', 1000)).toBe(false);
    expect(t.has('b', 0)).toBe(false);
  });

  it('extends the window when a name ends again', () => {
    const t = new TombstoneRegistry(1000);
    t.add('a', 0);
    t.add('b', 500);
    t.add('a', 900);
    expect(t.has('b', 1499)).toBe(true);
    expect(t.has('a', 1899)).toBe(true);
    expect(t.has('b', 1500)).toBe(false);
  });

  it('remembers nothing with a zero TTL', () => {
    const t = new TombstoneRegistry(0);
    t.add('a', 0);
    expect(t.has('a', 0)).toBe(false);
  });
});
