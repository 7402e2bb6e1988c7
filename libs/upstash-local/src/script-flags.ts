import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisCommand } from './command.parser.js';

/**
 * Script flags Upstash accepts in a `#!lua flags=…` shebang that Redis 7 refuses ("Unexpected flag in script
 * shebang"). `allow-key-locking` lets Upstash run scripts on different keys concurrently; `@upstash/ratelimit` puts
 * it on every script.
 */
export const UPSTASH_ONLY_SCRIPT_FLAGS: readonly string[] = ['allow-key-locking'];

const SHEBANG = /^#!lua([^\n]*)(\n|$)/;
const MAX_REMEMBERED = 1_000;

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The script with the Upstash-only flags taken out of its shebang, or undefined when it has none. */
export function withoutUpstashFlags(script: string): string | undefined {
  const match = SHEBANG.exec(script);
  if (!match) return undefined;
  const options = match[1].trim().split(/\s+/).filter(Boolean);
  let changed = false;
  const kept = options.map((option) => {
    if (!option.startsWith('flags=')) return option;
    const flags = option.slice('flags='.length).split(',');
    const left = flags.filter((flag) => !UPSTASH_ONLY_SCRIPT_FLAGS.includes(flag));
    if (left.length === flags.length) return option;
    changed = true;
    return `flags=${left.join(',')}`;
  });
  if (!changed) return undefined;
  return `#!lua${kept.length ? ` ${kept.join(' ')}` : ''}${match[2]}${script.slice(match[0].length)}`;
}

/**
 * Runs scripts written for Upstash on Redis: EVAL and SCRIPT LOAD drop the Upstash-only shebang flags, and the SHA1
 * the client knows (of the script it sent) is mapped to the one Redis knows (of the script it ran), so EVALSHA,
 * EVALSHA_RO and SCRIPT EXISTS keep working with the client's hash, as on Upstash. After a restart (or a SCRIPT FLUSH)
 * Redis answers NOSCRIPT and the client resends the script, as it would on Upstash.
 */
export class ScriptFlags {
  private readonly redisSha = new Map<string, string>();

  /** The command as Redis must receive it. */
  rewrite(command: RedisCommand): RedisCommand {
    const { name, argv } = command;
    if ((name === 'EVAL' || name === 'EVAL_RO') && argv.length >= 2) return this.withScript(command, 1);
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && argv.length >= 2) {
      const mapped = this.redisSha.get(argv[1].toLowerCase());
      return mapped ? { name, argv: [argv[0], mapped, ...argv.slice(2)] } : command;
    }
    if (name === 'SCRIPT' && argv.length >= 3) {
      const sub = argv[1].toUpperCase();
      if (sub === 'LOAD') return this.withScript(command, 2);
      if (sub === 'EXISTS') return { name, argv: argv.map((arg, i) => (i < 2 ? arg : (this.redisSha.get(arg.toLowerCase()) ?? arg))) };
    }
    return command;
  }

  /** SCRIPT LOAD of a rewritten script answers the client's hash (what Upstash answers), not Redis'. */
  answer(command: RedisCommand): ((redis: Redis) => Promise<unknown>) | undefined {
    const { name, argv } = command;
    if (name !== 'SCRIPT' || argv.length < 3 || argv[1].toUpperCase() !== 'LOAD') return undefined;
    const script = argv[2];
    const rewritten = withoutUpstashFlags(script);
    if (rewritten === undefined) return undefined;
    return async (redis) => {
      await redis.callBuffer('SCRIPT', ['LOAD', rewritten]);
      this.remember(sha1(script), sha1(rewritten));
      return Buffer.from(sha1(script));
    };
  }

  private withScript(command: RedisCommand, at: number): RedisCommand {
    const script = command.argv[at];
    const rewritten = withoutUpstashFlags(script);
    if (rewritten === undefined) return command;
    this.remember(sha1(script), sha1(rewritten));
    const argv = [...command.argv];
    argv[at] = rewritten;
    return { name: command.name, argv };
  }

  private remember(clientSha: string, redisSha: string): void {
    // NOTE: a bounded map (scripts are few; a client sending endless distinct scripts must not grow memory).
    if (!this.redisSha.has(clientSha) && this.redisSha.size >= MAX_REMEMBERED) this.redisSha.delete(this.redisSha.keys().next().value as string);
    this.redisSha.set(clientSha, redisSha);
  }
}
