/**
 * The test-runner functions a contract suite uses: Jest's and Vitest's globals have this shape. The suites take them
 * as an argument (default: the globals), so importing a suite never imports a runner.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  beforeAll(body: () => Promise<void> | void, timeout?: number): void;
  afterAll(body: () => Promise<void> | void, timeout?: number): void;
  expect: ContractExpect;
}

/** The matchers the suites use (a subset both Jest and Vitest have). */
export interface ContractMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toBeUndefined(): void;
  toHaveLength(length: number): void;
  toBeGreaterThan(value: number): void;
  toBeLessThanOrEqual(value: number): void;
  toContain(item: unknown): void;
  readonly not: ContractMatchers;
}

export interface ContractExpect {
  (actual: unknown): ContractMatchers;
  any(type: unknown): unknown;
}

/** The runner's globals (Jest, or Vitest with `globals: true`). */
export function globalTestApi(): ContractTestApi {
  const g = globalThis as unknown as Partial<ContractTestApi>;
  if (!g.describe || !g.it || !g.expect || !g.beforeAll || !g.afterAll) {
    throw new Error('No test runner globals (describe, it, expect, beforeAll, afterAll): pass them as the last argument, e.g. from "vitest".');
  }
  return g as ContractTestApi;
}
