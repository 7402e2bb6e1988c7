// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/del.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { DelCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/del.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when key does not exist", () => {
  test("does nothing", async () => {
    const key = newKey();

    const res = await new DelCommand([key]).exec(client);
    expect(res).toEqual(0);
  });
});
describe("when key does exist", () => {
  test("deletes the key", async () => {
    const key = newKey();
    await new SetCommand([key, "value"]).exec(client);
    const res = await new DelCommand([key]).exec(client);
    expect(res).toEqual(1);
  });
});
describe("with multiple keys", () => {
  describe("when one does not exist", () => {
    test("deletes all keys", async () => {
      const key1 = newKey();
      const key2 = newKey();
      await new SetCommand([key1, "value"]).exec(client);
      const res = await new DelCommand([key1, key2]).exec(client);
      expect(res).toEqual(1);
    });
  });
});

});
