import { createHash } from 'node:crypto';
import { contentKey, randomKey, taskIdFor } from './task-id.js';

describe('task ids and keys', () => {
  it('contentKey is the SHA-256 of the job name and key-order-independent JSON', () => {
    const key = contentKey('sync', { b: { y: 2, x: 1 }, a: [3, { d: 1, c: 2 }] });
    expect(key).toBe(contentKey('sync', { a: [3, { c: 2, d: 1 }], b: { x: 1, y: 2 } }));
    expect(key).toBe(createHash('sha256').update('sync\n{"a":[3,{"c":2,"d":1}],"b":{"x":1,"y":2}}').digest('hex'));
  });

  it('contentKey tells jobs, data and array order apart', () => {
    const keys = [contentKey('a', { n: 1 }), contentKey('b', { n: 1 }), contentKey('a', { n: 2 }), contentKey('a', [1, 2]), contentKey('a', [2, 1])];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('contentKey cannot be confused by a job name that ends like the data starts', () => {
    expect(contentKey('a', 'b\nc')).not.toBe(contentKey('a\nb', 'c'));
  });

  it('taskIdFor is deterministic, hash-like and a valid Cloud Tasks id', () => {
    const id = taskIdFor('sync', 'user-1');
    expect(taskIdFor('sync', 'user-1')).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{48}$/);
    expect(taskIdFor('sync', 'user-2')).not.toBe(id);
    expect(taskIdFor('other', 'user-1')).not.toBe(id);
  });

  it('randomKey is a fresh UUID v4 each time', () => {
    const keys = Array.from({ length: 100 }, randomKey);
    expect(new Set(keys).size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
