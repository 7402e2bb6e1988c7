import { Injectable } from '@nestjs/common';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { DEAD_LETTERS_SHOWN } from './dashboard.constants.js';
import { renderDeadLetter, renderOverview, type OverviewModel, type PageFrame, type ScheduleRow } from './dashboard.view.js';
import { DeliveryHistory } from './delivery-history.js';
import { QueueStateReader } from './queue-state.reader.js';

/** Gathers what each page shows and renders it. */
@Injectable()
export class DashboardPages {
  constructor(
    private readonly queues: QueueStateReader,
    private readonly history: DeliveryHistory,
    private readonly deadLetters: DeadLetterService,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  /** `projects/P/locations/L`, for the header. */
  get location(): string {
    return `projects/${this.options.projectId}/locations/${this.options.location}`;
  }

  async overview(frame: PageFrame): Promise<string> {
    const [queues, deadLetters] = await Promise.all([this.queues.read(), this.listDeadLetters()]);
    const model: OverviewModel = {
      ...frame,
      queues,
      schedules: this.schedules(),
      stats: this.history.stats(Object.keys(this.options.queues).sort()),
      recent: this.history.recent(),
      deadLetters,
    };
    return renderOverview(model);
  }

  /** The dead letter's page, or undefined when there is no such record. */
  async deadLetter(id: string, frame: PageFrame): Promise<string | undefined> {
    const deadLetter = await this.deadLetters.get(id);
    return deadLetter ? renderDeadLetter({ ...frame, deadLetter }) : undefined;
  }

  /**
   * The module's schedules, when its options have them (`schedules`), without their data. NOTE: read structurally, so
   * the page lists them in any version of the options that carries them and shows nothing in one that does not.
   */
  private schedules(): ScheduleRow[] | undefined {
    const { schedules } = this.options as ResolvedCloudTasksOptions & { schedules?: readonly ScheduleRow[] };
    return schedules?.map(({ id, job, cron, timeZone, paused }) => ({ id, job, cron, timeZone, paused: Boolean(paused) }));
  }

  private async listDeadLetters(): Promise<OverviewModel['deadLetters']> {
    try {
      const page = await this.deadLetters.list({ limit: DEAD_LETTERS_SHOWN });
      return { items: page.items, more: Boolean(page.nextCursor) };
    } catch (error) {
      return { items: [], more: false, unavailable: (error instanceof Error ? error.message : String(error)).slice(0, 200) };
    }
  }
}
