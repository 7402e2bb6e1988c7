import { jsonProblem, stableStringify } from './stable-json.js';

describe('stableStringify', () => {
  it('sorts keys at every level, so key order does not matter', () => {
    const a = stableStringify({ b: 2, a: 1, nested: { y: [1, { q: 1, p: 2 }], x: null } });
    const b = stableStringify({ nested: { x: null, y: [1, { p: 2, q: 1 }] }, a: 1, b: 2 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":1,"b":2,"nested":{"x":null,"y":[1,{"p":2,"q":1}]}}');
  });

  it('keeps array order', () => {
    expect(stableStringify([2, 1])).toBe('[2,1]');
    expect(stableStringify([2, 1])).not.toBe(stableStringify([1, 2]));
  });

  it('parses back to the same value as JSON.stringify would give', () => {
    const value = { s: 'é"\n', n: -1.5e-7, t: true, f: false, z: null, list: [{}, [], ''], when: new Date('2026-01-02T03:04:05.000Z') };
    expect(JSON.parse(stableStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('follows JSON.stringify for toJSON and undefined members', () => {
    expect(stableStringify({ when: new Date('2026-01-02T03:04:05.000Z'), gone: undefined, list: [undefined] })).toBe('{"list":[null],"when":"2026-01-02T03:04:05.000Z"}');
    expect(stableStringify({ toJSON: () => ({ b: 1, a: 2 }) })).toBe('{"a":2,"b":1}');
  });

  it('serialises scalars and null like JSON', () => {
    expect(stableStringify('x')).toBe('"x"');
    expect(stableStringify(3)).toBe('3');
    expect(stableStringify(null)).toBe('null');
  });

  it('tells apart values that differ only in a nested key or value', () => {
    expect(stableStringify({ a: { b: 1 } })).not.toBe(stableStringify({ a: { c: 1 } }));
    expect(stableStringify({ a: '1' })).not.toBe(stableStringify({ a: 1 }));
  });

  // BUG (utils/stable-json.ts:15-16): sortKeys copies members into a plain `{}` with `out[key] = …`; for an own
  // "__proto__" key (as JSON.parse creates) that assignment sets the prototype instead, so the member vanishes and
  // `{"__proto__":{…}}` serialises — and deduplicates — like `{}`. Fix: build `out` with Object.create(null)
  // (or Object.defineProperty), which JSON.stringify serialises the same way.
  it('keeps an own "__proto__" member, as JSON.stringify does', () => {
    const value = JSON.parse('{"__proto__":{"admin":true},"a":1}') as object;
    expect(stableStringify(value)).toBe(JSON.stringify(value));
    expect(stableStringify(value)).not.toBe(stableStringify({ a: 1 }));
  });
});

describe('jsonProblem', () => {
  it('accepts what JSON carries unchanged', () => {
    for (const value of [null, 0, -1.5, 'text', true, [], {}, { a: [1, { b: null }] }, { when: new Date() }, { gone: undefined }]) {
      expect(jsonProblem(value)).toBeUndefined();
    }
  });

  it('accepts the same object reached twice (a DAG is not a cycle)', () => {
    const shared = { n: 1 };
    expect(jsonProblem({ a: shared, b: shared, list: [shared, shared] })).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a function', { f: () => 1 }, 'data.f is a function, which JSON cannot carry'],
    ['a symbol', { s: Symbol('s') }, 'data.s is a symbol, which JSON cannot carry'],
    ['a bigint', 1n, 'data is a bigint, which JSON cannot carry'],
    ['NaN', { a: { b: Number.NaN } }, 'data.a.b is NaN, which JSON turns into null'],
    ['-Infinity', [0, Number.NEGATIVE_INFINITY], 'data[1] is -Infinity, which JSON turns into null'],
    ['undefined at the top', undefined, 'data is undefined; pass an object (or null)'],
    ['a function in an array', { list: [1, () => 2] }, 'data.list[1] is a function, which JSON cannot carry'],
  ])('refuses %s, naming where it is', (_label, value, problem) => {
    expect(jsonProblem(value)).toBe(problem);
  });

  it('refuses cycles, naming where the cycle closes', () => {
    const node: { name: string; children: unknown[] } = { name: 'root', children: [] };
    node.children.push({ parent: node });
    expect(jsonProblem(node)).toBe('data.children[0].parent is a circular reference');
    const list: unknown[] = [];
    list.push(list);
    expect(jsonProblem(list)).toBe('data[0] is a circular reference');
  });
});
