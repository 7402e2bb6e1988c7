import { describe, expect, it } from '@jest/globals';
import { encodeReply } from './reply.encoder.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('encodeReply', () => {
  it('keeps numbers and null, and turns buffers into UTF-8 text without encoding', () => {
    expect(encodeReply(7, false)).toBe(7);
    expect(encodeReply(null, false)).toBeNull();
    expect(encodeReply(Buffer.from('héllo'), false)).toBe('héllo');
    expect(encodeReply([Buffer.from('a'), 1, null, [Buffer.from('b')]], false)).toEqual(['a', 1, null, ['b']]);
  });

  it('base64-encodes every string but a top-level OK', () => {
    expect(encodeReply(Buffer.from('OK'), true)).toBe('OK');
    expect(encodeReply(Buffer.from('héllo'), true)).toBe(b64('héllo'));
    expect(encodeReply([Buffer.from('OK'), [Buffer.from('OK'), 2]], true)).toEqual([b64('OK'), [b64('OK'), 2]]);
  });

  it('keeps raw bytes intact under base64', () => {
    const bytes = Buffer.from([0, 0xff, 0xfe, 0x80]);
    expect(Buffer.from(encodeReply(bytes, true) as string, 'base64')).toEqual(bytes);
  });

  it('renders nested Redis errors as their message', () => {
    expect(encodeReply([new Error('ERR inner')], false)).toEqual(['ERR inner']);
  });
});
