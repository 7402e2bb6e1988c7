// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/append.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { AppendCommand } from "../../shim/commands.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";

describe("commands/append.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when key is not set", () => {
  test("appends to empty value", async () => {
    const key = newKey();
    const value = randomID();
    const res = await new AppendCommand([key, value]).exec(client);
    expect(res).toEqual(value.length);
  });
});

describe("when key is set", () => {
  test("appends to existing value", async () => {
    const key = newKey();
    const value = randomID();
    const res = await new AppendCommand([key, value]).exec(client);
    expect(res).toEqual(value.length);
    const res2 = await new AppendCommand([key, "_"]).exec(client);
    expect(res2).toEqual(value.length + 1);
  });
});

});
