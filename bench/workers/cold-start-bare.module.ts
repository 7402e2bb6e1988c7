import { Module } from '@nestjs/common';
import { BareController } from './bare.controller.js';

/** The bare side of the cold-start figure: a Nest app with one `@Post()` route, nothing else. */
@Module({ controllers: [BareController] })
export class ColdStartBareModule {}
