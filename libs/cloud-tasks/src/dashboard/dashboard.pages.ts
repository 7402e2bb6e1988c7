import { Injectable } from '@nestjs/common';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { DEAD_LETTERS_SHOWN } from './dashboard.constants.js';
import { renderDeadLetter, renderOverview, type OverviewModel, type PageFrame } from './dashboard.view.js';
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

  private async listDeadLetters(): Promise<OverviewModel['deadLetters']> {
    try {
      const page = await this.deadLetters.list({ limit: DEAD_LETTERS_SHOWN });
      return { items: page.items, more: Boolean(page.nextCursor) };
    } catch (error) {
      return { items: [], more: false, unavailable: (error instanceof Error ? error.message : String(error)).slice(0, 200) };
    }
  }
}
