// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sinter.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SInterCommand } from "../../shim/commands.js";

describe("commands/sinter.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("with single set", () => {
  test("returns the members of the set", async () => {
    const key = newKey();
    const value1 = { v: randomID() };
    const value2 = { v: randomID() };
    await new SAddCommand([key, value1, value2]).exec(client);
    const res = await new SInterCommand<{ v: string }>([key]).exec(client);
    expect(res.length).toBe(2);
    expect(res.map(({ v }) => v).includes(value1.v)).toBe(true);
    expect(res.map(({ v }) => v).includes(value2.v)).toBe(true);
  });
});

describe("with multiple sets", () => {
  test("returns the members of the set", async () => {
    const key1 = newKey();
    const key2 = newKey();
    const value1 = { v: randomID() };
    const value2 = { v: randomID() };
    const value3 = { v: randomID() };
    await new SAddCommand([key1, value1, value2]).exec(client);
    await new SAddCommand([key2, value2, value3]).exec(client);
    const res = await new SInterCommand<{ v: string }>([key1, key2]).exec(client);
    expect(res).toEqual([value2]);
  });
});

});
