/** JSON-ready value of a Redis reply. */
export type EncodedReply = string | number | null | EncodedReply[];

const OK = Buffer.from('OK');

/**
 * Turns an ioredis buffer reply into the JSON Upstash answers. With `base64`, every string is base64-encoded except a
 * top-level `OK`: the client's decoder keeps a top-level `"OK"` as is but base64-decodes every string of the first
 * array level unconditionally, so `OK` inside arrays must be encoded too.
 */
export function encodeReply(reply: unknown, base64: boolean, topLevel = true): EncodedReply {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return reply.toString();
  if (Array.isArray(reply)) return reply.map((item: unknown) => encodeReply(item, base64, false));
  const bytes = toBuffer(reply);
  if (!base64) return bytes.toString('utf8');
  if (topLevel && bytes.equals(OK)) return 'OK';
  return bytes.toString('base64');
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Error) return Buffer.from(value.message);
  return Buffer.from(String(value));
}
