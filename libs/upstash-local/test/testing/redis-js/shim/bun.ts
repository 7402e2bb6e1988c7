/** `sleep` of the `bun` module. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `serve` of the `bun` module: the tests that start a mock server with it are skipped (exclusions.mjs). */
export function serve(): never {
  throw new Error('bun serve is not available under Jest: this test stands up its own mock server and is skipped.');
}
