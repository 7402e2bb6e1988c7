// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/exists.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { ExistsCommand } from "../../shim/commands.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/exists.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when the key does not eist", () => {
  test("it returns 0", async () => {
    const key = newKey();

    const res = await new ExistsCommand([key]).exec(client);
    expect(res).toEqual(0);
  });
});
describe("when the key exists", () => {
  test("it returns 1", async () => {
    const key = newKey();
    await new SetCommand([key, "value"]).exec(client);
    const res = await new ExistsCommand([key]).exec(client);
    expect(res).toEqual(1);
  });
});
describe("with multiple keys", () => {
  test("it returns the number of found keys", async () => {
    const key1 = newKey();
    const key2 = newKey();
    const key3 = newKey();
    await new SetCommand([key1, "value"]).exec(client);
    await new SetCommand([key2, "value"]).exec(client);
    const res = await new ExistsCommand([key1, key2, key3]).exec(client);
    expect(res).toEqual(2);
  });
});

});
