import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { validatePayload } from '../envelope/envelope.rules.js';
import { ScheduleConfigError } from '../errors/schedule-config.error.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { INVALID_SCHEDULES, SCHEDULE_INVALID_DATA, SCHEDULE_WITHOUT_HANDLER } from './schedule.messages.js';

/**
 * Checks the schedules against the handlers once they are all registered: every schedule's job has a `@JobHandler()`
 * and its data passes the handler's `payload` class, so a schedule that could only fail fails `app.init()` instead.
 * Only in an HTTP application (the one answering fires): a CLI context that syncs the schedules has no handlers.
 */
@Injectable()
export class ScheduleValidator implements OnApplicationBootstrap {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly registry: JobHandlerRegistry,
    private readonly http: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.http.httpAdapter) return;
    const schedules = this.options.schedules ?? [];
    const problems: string[] = [];
    for (const schedule of schedules) {
      const handler = this.registry.get(schedule.job);
      if (!handler) {
        problems.push(SCHEDULE_WITHOUT_HANDLER(schedule.id, schedule.job));
        continue;
      }
      const payload = handler.options.payload;
      if (!payload) continue;
      const checked = await validatePayload(payload, schedule.data);
      if (!checked.ok) problems.push(SCHEDULE_INVALID_DATA(schedule.id, schedule.job, payload.name, checked.error));
    }
    if (problems.length) throw new ScheduleConfigError(INVALID_SCHEDULES(problems));
    if (schedules.length) this.logger.log({ msg: 'schedules checked', schedules: schedules.map((s) => `${s.id}: ${s.cron} ${s.timeZone}${s.paused ? ' (paused)' : ''}`) });
  }
}
