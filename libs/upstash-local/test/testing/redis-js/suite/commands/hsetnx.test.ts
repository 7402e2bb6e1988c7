// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hsetnx.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HGetCommand } from "../../shim/commands.js";
import { HSetCommand } from "../../shim/commands.js";
import { HSetNXCommand } from "../../shim/commands.js";

describe("commands/hsetnx.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when hash exists already", () => {
  test("returns 0", async () => {
    const key = newKey();
    const field = randomID();
    const value = randomID();
    const newValue = randomID();
    await new HSetCommand([key, { [field]: value }]).exec(client);
    const res = await new HSetNXCommand([key, field, newValue]).exec(client);
    expect(res).toEqual(0);
    const res2 = await new HGetCommand([key, field]).exec(client);

    expect(res2).toEqual(value);
  });
});
describe("when hash does not exist", () => {
  test("returns 1", async () => {
    const key = newKey();
    const field = randomID();
    const value = randomID();
    const res = await new HSetNXCommand([key, field, value]).exec(client);
    expect(res).toEqual(1);
    const res2 = await new HGetCommand([key, field]).exec(client);

    expect(res2).toEqual(value);
  });
});

});
