import type { JobEventBus } from '../events/job-event-bus.js';
import type { JobEvent, JobEventType } from '../events/job-event.interface.js';

/** Resolves once `condition()` is true (checked every `intervalMs`); rejects after `timeoutMs` naming `what`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, { timeoutMs = 5000, intervalMs = 10, what = 'the condition' } = {}): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves with the first lifecycle event of `type` (and matching `match`, if given) published on the module's
 * `JobEventBus` from now on; rejects after `timeoutMs`.
 *
 * @example const done = waitForJobEvent(app.get(JobEventBus), 'completed', (e) => e.jobName === 'calendar-sync');
 */
export function waitForJobEvent(bus: JobEventBus, type: JobEventType, match: (event: JobEvent) => boolean = () => true, timeoutMs = 5000): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`No "${type}" job event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = bus.subscribe((event) => {
      if (event.type !== type || !match(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}
