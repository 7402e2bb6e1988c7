export { JobHttpAdapter, deliveryOf, restoreBodyHeaders, type JobAnswer } from './job-http.adapter.js';
export { ExpressJobAdapter } from './express-job.adapter.js';
export { FastifyJobAdapter } from './fastify-job.adapter.js';
export { JobHttpAdapterHost } from './job-http-adapter.host.js';
