import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { getJson } from '../utils/get-json.js';

/**
 * How much faster than real time the Cloud Tasks side runs: 1 against Cloud Tasks; against an emulator with a time
 * scale, the emulator's (read from its `/clock` at boot), so that claim leases, their renewals and the dispatch
 * deadline of `job.signal` follow the same clock as the emulator's retries and deadlines.
 */
@Injectable()
export class TimeScale implements OnApplicationBootstrap {
  private readonly logger = new Logger('CloudTasks');
  private factor = 1;

  constructor(@InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions) {}

  /** Times faster than real time (≥ 1). */
  get value(): number {
    return this.factor;
  }

  /** Real milliseconds of `ms` on the Cloud Tasks clock. */
  real(ms: number): number {
    return ms / this.factor;
  }

  async onApplicationBootstrap(): Promise<void> {
    const host = this.options.emulatorHost;
    if (!host) return;
    try {
      const clock = ((await getJson(`http://${host}/clock`, { timeoutMs: 1000 })).body ?? {}) as { timeScale?: unknown };
      if (typeof clock.timeScale === 'number' && Number.isFinite(clock.timeScale) && clock.timeScale >= 1) this.factor = clock.timeScale;
      if (this.factor !== 1) this.logger.log({ msg: 'following the emulator clock', timeScale: this.factor });
    } catch {
      // NOTE: an emulator without /clock (or not up yet) runs in real time as far as this module knows: leases are then
      // longer than they need to be, never shorter.
    }
  }
}
