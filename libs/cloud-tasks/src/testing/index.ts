export * from './fake-cloud-tasks-client.js';
export * from './test-app.js';
export * from './scripted-processor.js';
export * from './http-adapters.js';
