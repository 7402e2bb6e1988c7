import { Redis as UpstashRedis } from '@upstash/redis';

/**
 * The client's own classes, reached through the package's public `Redis` (the package exports only `Redis` and
 * `errors`): the base `Redis(client, options)` class, `HttpClient`, `Pipeline`, and every command class, found as
 * the class of the command a pipeline method builds. The ported tests thus run the client's real code.
 */
type Ctor = new (...args: unknown[]) => object;

interface PipelineLike {
  commands: object[];
  [method: string]: unknown;
}

const probe = new UpstashRedis({ url: 'http://127.0.0.1:9', token: 'probe', enableTelemetry: false }) as unknown as { client: object; pipeline(): object };

export const BaseRedis = Object.getPrototypeOf(UpstashRedis) as Ctor;
export const HttpClient = probe.client.constructor as Ctor;
export const Pipeline = probe.pipeline().constructor as Ctor;

/** A requester that answers nothing: command classes are only built, never run, on it. */
const silent = { request: () => Promise.resolve({ result: null }) };

/** Redis methods that take the command's arguments as one array (`exec(args)`) rather than spread. */
const ARRAY_ARGUMENT = new Set(['exec', 'flushall', 'ping']);

function methodPath(className: string): [string | undefined, string] {
  const base = className.replace(/Command$/, '');
  if (/^FCallRo$/.test(base)) return ['functions', 'callro'];
  if (/^FCall$/.test(base)) return ['functions', 'call'];
  const fn = /^Function(\w+)$/.exec(base);
  if (fn) return ['functions', fn[1].toLowerCase()];
  const json = /^Json(\w+)$/.exec(base);
  if (json) return ['json', json[1].toLowerCase()];
  return [undefined, base.toLowerCase()];
}

const classes = new Map<string, Ctor>();

/** The class of the command a `Redis` method builds, caught as it runs (for methods a pipeline lacks, e.g. `exec(args)`). */
function classRunBy(run: (redis: Record<string, (...a: unknown[]) => unknown>) => unknown): Ctor {
  const base = Object.getPrototypeOf(commandClassOf('SetCommand', [['key', 'value']])) as { prototype: { exec: (...a: unknown[]) => unknown } };
  const exec = base.prototype.exec;
  let caught: object | undefined;
  base.prototype.exec = function (this: object) {
    caught = this;
    return Promise.resolve(undefined);
  };
  try {
    void run(new BaseRedis(silent, { enableAutoPipelining: false }) as unknown as Record<string, (...a: unknown[]) => unknown>);
  } finally {
    base.prototype.exec = exec;
  }
  return caught!.constructor as Ctor;
}

/** The client's class `className`, found by building the command with these constructor arguments (errors thrown as the class throws them). */
export function commandClassOf(className: string, ctorArgs: unknown[]): Ctor {
  const known = classes.get(className === 'Command' ? 'SetCommand' : className);
  if (known) return className === 'Command' ? (Object.getPrototypeOf(known) as Ctor) : known;
  if (className === 'Command') {
    commandClassOf('SetCommand', [['key', 'value']]);
    return commandClassOf('Command', ctorArgs);
  }
  if (className === 'ExecCommand') {
    const ctor = classRunBy((redis) => redis.exec(['PING']));
    classes.set(className, ctor);
    return ctor;
  }
  const pipeline = new Pipeline({ client: silent }) as unknown as PipelineLike;
  const [namespace, name] = methodPath(className);
  const owner = (namespace ? pipeline[namespace] : pipeline) as Record<string, unknown>;
  const method = Object.keys(owner).concat(Object.getOwnPropertyNames(Object.getPrototypeOf(owner))).find((k) => k.toLowerCase() === name);
  if (!method || typeof owner[method] !== 'function') throw new Error(`The client has no method for ${className}.`);
  const [args] = ctorArgs as [unknown[] | undefined];
  const fn = owner[method] as (...a: unknown[]) => unknown;
  const built = ARRAY_ARGUMENT.has(method) ? fn.call(owner, args ?? []) : fn.apply(owner, Array.isArray(args) ? args : []);
  const command = built !== pipeline && built !== owner && built && typeof built === 'object' && 'exec' in built ? built : pipeline.commands.at(-1);
  const ctor = command!.constructor as Ctor;
  classes.set(className, ctor);
  return ctor;
}
