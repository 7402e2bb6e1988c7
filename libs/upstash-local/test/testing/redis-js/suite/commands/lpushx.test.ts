// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lpushx.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LPushXCommand } from "../../shim/commands.js";

import { LPushCommand } from "../../shim/commands.js";

describe("commands/lpushx.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when list exists", () => {
  test("returns the length after command", async () => {
    const key = newKey();
    await new LPushCommand([key, randomID()]).exec(client);
    const res = await new LPushXCommand([key, randomID()]).exec(client);
    expect(res).toEqual(2);
    const res2 = await new LPushXCommand([key, randomID(), randomID()]).exec(client);

    expect(res2).toEqual(4);
  });
});

describe("when list does not exist", () => {
  test("does nothing", async () => {
    const key = newKey();
    const res = await new LPushXCommand([key, randomID()]).exec(client);
    expect(res).toEqual(0);
  });
});

});
