// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/type.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HSetCommand } from "../../shim/commands.js";
import { LPushCommand } from "../../shim/commands.js";
import { SAddCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";
import { TypeCommand } from "../../shim/commands.js";
import { ZAddCommand } from "../../shim/commands.js";

describe("commands/type.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("string", () => {
  test("returns the correct type", async () => {
    const key = newKey();
    const value = randomID();
    await new SetCommand([key, value]).exec(client);
    const res = await new TypeCommand([key]).exec(client);
    expect(res).toEqual("string");
  });
});

describe("list", () => {
  test("returns the correct type", async () => {
    const key = newKey();
    const value = randomID();
    await new LPushCommand([key, value]).exec(client);
    const res = await new TypeCommand([key]).exec(client);
    expect(res).toEqual("list");
  });
});

describe("set", () => {
  test("returns the correct type", async () => {
    const key = newKey();
    const value = randomID();
    await new SAddCommand([key, value]).exec(client);
    const res = await new TypeCommand([key]).exec(client);
    expect(res).toEqual("set");
  });
});

describe("hash", () => {
  test("returns the correct type", async () => {
    const key = newKey();
    const field = randomID();
    const value = randomID();
    await new HSetCommand([key, { [field]: value }]).exec(client);
    const res = await new TypeCommand([key]).exec(client);
    expect(res).toEqual("hash");
  });
});

describe("zset", () => {
  test("returns the correct type", async () => {
    const key = newKey();
    const member = randomID();
    await new ZAddCommand([key, { score: 0, member }]).exec(client);
    const res = await new TypeCommand([key]).exec(client);
    expect(res).toEqual("zset");
  });
});

describe("none", () => {
  test("returns the correct type", async () => {
    const key = newKey();
    const res = await new TypeCommand([key]).exec(client);
    expect(res).toEqual("none");
  });
});

});
