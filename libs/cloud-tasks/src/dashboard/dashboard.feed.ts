import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { JobEventBus } from '../events/job-event-bus.js';
import { DeliveryHistory } from './delivery-history.js';

/** Feeds the {@link DeliveryHistory} from the job event bus, from module init until application shutdown. */
@Injectable()
export class DashboardFeed implements OnModuleInit, OnApplicationShutdown {
  private unsubscribe?: () => void;

  constructor(
    private readonly events: JobEventBus,
    private readonly history: DeliveryHistory,
  ) {}

  onModuleInit(): void {
    this.unsubscribe ??= this.events.subscribe((event) => this.history.record(event));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
