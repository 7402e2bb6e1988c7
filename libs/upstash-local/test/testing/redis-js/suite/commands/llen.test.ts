// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/llen.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LLenCommand } from "../../shim/commands.js";

import { LPushCommand } from "../../shim/commands.js";

describe("commands/llen.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when list exists", () => {
  test("returns the length of the list", async () => {
    const key = newKey();
    await new LPushCommand([key, randomID()]).exec(client);
    const res = await new LLenCommand([key]).exec(client);
    expect(res).toEqual(1);
  });
});

describe("when list does not exist", () => {
  test("returns 0", async () => {
    const key = newKey();
    const res = await new LLenCommand([key]).exec(client);
    expect(res).toEqual(0);
  });
});

});
