import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';

/** The bare side of the cold-start figure: a Nest app with one `@Post()` route, nothing else. */
@Controller('bench')
class ColdBareController {
  @Post('bare')
  @HttpCode(200)
  bare(@Body() _body: unknown): { success: true; result: null } {
    return { success: true, result: null };
  }
}

@Module({ controllers: [ColdBareController] })
export class ColdStartBareModule {}
