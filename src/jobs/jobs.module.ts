import { Module } from '@nestjs/common';
import { DomainModule } from '../domain/domain.module.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { JOB_PROCESSORS } from './index.js';

/** The CatchUp job processors; `CloudTasksModule` discovers them through `@JobHandler()`. */
@Module({ imports: [DomainModule], providers: [...JOB_PROCESSORS, FollowUpScheduler] })
export class JobsModule {}
