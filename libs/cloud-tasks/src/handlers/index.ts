export * from './job-handler.decorator.js';
