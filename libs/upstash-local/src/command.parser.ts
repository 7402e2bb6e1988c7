import { UpstashLocalHttpError } from './upstash-local.errors.js';

/** One command ready for Redis: `argv[0]` is the name as sent, `name` its upper-case form. */
export interface RedisCommand {
  name: string;
  argv: string[];
}

const UNSUPPORTED = new Set([
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'MONITOR',
  'SELECT',
  'SWAPDB',
  'QUIT',
  'RESET',
  'HELLO',
  'AUTH',
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BLMOVE',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'WAIT',
  'WAITAOF',
  'SHUTDOWN',
  'SYNC',
  'PSYNC',
  'REPLICAOF',
  'SLAVEOF',
]);

/** Parses a JSON request body, answering 400 on malformed JSON. */
export function parseJsonBody(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UpstashLocalHttpError(400, `ERR failed to parse JSON request body: ${reason}`);
  }
}

/** Validates one command (`["SET", "k", "v"]`) and stringifies its arguments the way Upstash does. */
export function toCommand(value: unknown, where = 'request body'): RedisCommand {
  if (!Array.isArray(value) || value.length === 0) {
    throw new UpstashLocalHttpError(400, `ERR ${where} must be a non-empty JSON array, e.g. ["SET","key","value"]`);
  }
  const [head] = value as unknown[];
  if (typeof head !== 'string' || head.length === 0) {
    throw new UpstashLocalHttpError(400, `ERR ${where}: the first element must be the command name as a string`);
  }
  const argv = (value as unknown[]).map(stringifyArgument);
  return { name: head.toUpperCase(), argv };
}

/** Validates a pipeline or transaction body: a non-empty array of commands. */
export function toCommands(value: unknown): RedisCommand[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new UpstashLocalHttpError(400, 'ERR request body must be a non-empty JSON array of commands, e.g. [["SET","k","v"],["GET","k"]]');
  }
  return (value as unknown[]).map((item, index) => toCommand(item, `command ${index + 1}`));
}

/** Builds a command from the path form (`/set/key/value`), a POST body as last argument, and query pairs. */
export function commandFromPath(pathname: string, query: URLSearchParams, body: string): RedisCommand {
  const segments = pathname.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  let parts: string[];
  try {
    parts = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new UpstashLocalHttpError(400, `ERR malformed percent-encoding in path ${pathname}`);
  }
  if (parts.length === 0) {
    throw new UpstashLocalHttpError(400, 'ERR no command: POST a JSON array to / or use the path form /COMMAND/arg1/arg2');
  }
  if (body.length > 0) parts.push(body);
  for (const [name, value] of query) {
    if (name !== '_token') parts.push(name, value);
  }
  return toCommand(parts, 'path');
}

/** Why a command is refused, or undefined when it may run on the shared connection. */
export function unsupportedReason(command: RedisCommand): string | undefined {
  const { name, argv } = command;
  const blockingRead = (name === 'XREAD' || name === 'XREADGROUP') && argv.some((a) => a.toUpperCase() === 'BLOCK');
  const clientReply = name === 'CLIENT' && argv[1]?.toUpperCase() === 'REPLY';
  if (name === 'SUBSCRIBE' || name === 'PSUBSCRIBE') {
    return `ERR ${name} is served as an event stream: POST /${name.toLowerCase()}/<${name === 'SUBSCRIBE' ? 'channel' : 'pattern'}> (what @upstash/redis ${name.toLowerCase()}() sends), not as a command`;
  }
  if (UNSUPPORTED.has(name) || blockingRead || clientReply) {
    return `ERR command ${name} is not supported by upstash-local (blocking or connection-scoped commands cannot run on a shared connection)`;
  }
  return undefined;
}

function stringifyArgument(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return JSON.stringify(value) ?? 'null';
  }
}
