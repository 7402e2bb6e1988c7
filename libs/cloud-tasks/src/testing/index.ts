export * from './fake-cloud-tasks-client.js';
export * from './test-app.js';
export * from './scripted-processor.js';
export * from './http-adapters.js';
export * from './job-context.builder.js';
export * from './wait-for.js';
export { describeIdempotencyStoreContract, type IdempotencyStoreContractHarness } from './contracts/idempotency-store.contract.js';
export { describeDeadLetterStoreContract, deadLetterFixture, type DeadLetterStoreContractHarness } from './contracts/dead-letter-store.contract.js';
export type { ContractExpect, ContractMatchers, ContractTestApi } from './contracts/test-api.js';
