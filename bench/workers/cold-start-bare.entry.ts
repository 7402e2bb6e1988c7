/**
 * The bare side of the cold-start figure, started as its own process by the bench like `src/main.ts` is: a Nest app
 * with one `@Post()` route, created exactly as the example creates its app (`createHttpApp`, the adapter `HTTP_ADAPTER`
 * names, the same JSON ConsoleLogger), listening on `PORT`. It logs one line when it listens; SIGTERM closes it.
 */
import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { createHttpApp } from '../../src/http-app.js';
import { ColdStartBareModule } from './cold-start-bare.module.js';

const port = Number(process.env.PORT);
const adapter = process.env.HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';
const logger = new ConsoleLogger({ json: true, flattenParams: true, compact: true, breakLength: Infinity });
const app = await createHttpApp({ module: ColdStartBareModule }, { HTTP_ADAPTER: adapter }, { logger });
await app.listen(port, '0.0.0.0');
new Logger('Bare').log(`bare app listening on :${port} on ${adapter}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
