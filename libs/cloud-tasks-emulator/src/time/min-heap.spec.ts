import { MinHeap, type HeapEntry } from './min-heap.js';

describe('MinHeap', () => {
  it('pops entries by due time, equal times in insertion order', () => {
    const heap = new MinHeap<HeapEntry & { id: string }>();
    let seq = 0;
    const add = (due: number, id: string) => heap.push({ due, seq: seq++, id });
    add(30, 'c');
    add(10, 'a1');
    add(20, 'b');
    add(10, 'a2');
    add(5, 'first');
    const out: string[] = [];
    while (heap.size) out.push(heap.pop()!.id);
    expect(out).toEqual(['first', 'a1', 'a2', 'b', 'c']);
    expect(heap.pop()).toBeUndefined();
  });

  it('stays ordered under random pushes and pops', () => {
    const heap = new MinHeap<HeapEntry>();
    const values: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const due = Math.floor(Math.random() * 500);
      heap.push({ due, seq: i });
      values.push(due);
    }
    values.sort((a, b) => a - b);
    const popped: number[] = [];
    while (heap.size) popped.push(heap.pop()!.due);
    expect(popped).toEqual(values);
  });
});
