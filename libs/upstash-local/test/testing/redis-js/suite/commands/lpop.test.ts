// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lpop.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LPopCommand } from "../../shim/commands.js";

import { LPushCommand } from "../../shim/commands.js";

describe("commands/lpop.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when list exists", () => {
  test("returns the first element", async () => {
    const key = newKey();
    const value = randomID();
    await new LPushCommand([key, value]).exec(client);
    const res = await new LPopCommand([key]).exec(client);
    expect(res).toEqual(value);
  });
});

describe("when list does not exist", () => {
  test("returns null", async () => {
    const key = newKey();
    const res = await new LPopCommand([key]).exec(client);
    expect(res).toEqual(null);
  });
});

describe("with count", () => {
  test("returns 2 elements", async () => {
    const key = newKey();
    const value1 = randomID();
    const value2 = randomID();
    await new LPushCommand([key, value1, value2]).exec(client);
    const res = await new LPopCommand<string[]>([key, 2]).exec(client);
    expect(res).toBeTruthy();
    expect(res).toEqual([value2, value1]);
  });
});

});
