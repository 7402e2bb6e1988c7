import { Controller, Get } from '@nestjs/common';
import { ChaosWorkload } from './chaos.workload.js';

/** `GET /chaos/stats`: what this instance is doing (the harness polls it to know when the run has settled). */
@Controller('chaos')
export class ChaosStatsController {
  constructor(private readonly workload: ChaosWorkload) {}

  @Get('stats')
  stats(): ReturnType<ChaosWorkload['stats']> {
    return this.workload.stats();
  }
}
