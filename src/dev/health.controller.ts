import { Controller, Get } from '@nestjs/common';

/** Liveness for Cloud Run and local checks. */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
