import { Body, Controller, HttpCode, Post } from '@nestjs/common';

/** The bare route the job endpoint is compared with: `POST /bench/bare`, the same body in, the chain's answer shape out. */
@Controller('bench')
export class BareController {
  @Post('bare')
  @HttpCode(200)
  bare(@Body() _body: unknown): { success: true; result: null } {
    return { success: true, result: null };
  }
}
