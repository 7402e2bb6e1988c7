import type { QueueRecord } from '../core/queue.record.js';
import { invalidArgument } from '../core/rpc.error.js';

/**
 * ListQueues `filter`: the emulator supports the documented example, comparisons on `state`
 * (`state: PAUSED`, `state = RUNNING`, `state != PAUSED`); anything else is refused rather than silently ignored.
 */
export function queueFilter(filter: string | null | undefined): (q: QueueRecord) => boolean {
  const text = filter?.trim();
  if (!text) return () => true;
  const match = /^state\s*(:|=|!=)\s*"?([A-Z_]+)"?$/.exec(text);
  if (!match) throw invalidArgument(`Unsupported filter "${text}": the emulator understands only "state: <STATE>", "state = <STATE>" and "state != <STATE>".`);
  const [, op, state] = match;
  return op === '!=' ? (q) => q.state !== state : (q) => q.state === state;
}
