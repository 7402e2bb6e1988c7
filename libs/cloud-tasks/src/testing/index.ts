export * from './fake-cloud-tasks-client.js';
export * from './test-app.js';
