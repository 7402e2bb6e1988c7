// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/bitpos.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { BitPosCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/bitpos.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when key is not set", () => {
  test("returns 0", async () => {
    const key = newKey();
    const res = await new BitPosCommand([key, 0]).exec(client);
    expect(res).toEqual(0);
  });
});

describe("when key is set", () => {
  test("returns position of first set bit", async () => {
    const key = newKey();
    const value = "\u00FF\u00F0\u0000";
    await new SetCommand([key, value]).exec(client);
    const res = await new BitPosCommand([key, 0]).exec(client);
    expect(res).toEqual(2);
  });
});

describe("with start", () => {
  test("returns position of first set bit", async () => {
    const key = newKey();
    const value = "\u0000\u00FF\u00F0";
    await new SetCommand([key, value]).exec(client);
    const res = await new BitPosCommand([key, 0, 0]).exec(client);
    expect(res).toEqual(0);
  });
});

describe("with start and end", () => {
  test("returns position of first set bit", async () => {
    const key = newKey();
    const value = "\u0000\u00FF\u00F0";
    await new SetCommand([key, value]).exec(client);
    const res = await new BitPosCommand([key, 1, 2, -1]).exec(client);
    expect(res).toEqual(16);
  });
});

});
