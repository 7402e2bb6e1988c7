// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/script_exists.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";
import { newHttpClient, randomID } from "../../shim/test-utils.js";
import { ScriptExistsCommand } from "../../shim/commands.js";
import { ScriptLoadCommand } from "../../shim/commands.js";

describe("commands/script_exists.test.ts", () => {


const client = newHttpClient();

describe("with a single script", () => {
  describe("when the script exists", () => {
    test("returns 1", async () => {
      const script = `return "${randomID()}"`;
      const hash = await new ScriptLoadCommand([script]).exec(client);
      const res = await new ScriptExistsCommand([hash]).exec(client);
      expect(res).toEqual([1]);
    });
  });
  describe("when the script does not exist", () => {
    test("returns 0", async () => {
      const res = await new ScriptExistsCommand(["21"]).exec(client);
      expect(res).toEqual([0]);
    });
  });
});

describe("with multiple scripts", () => {
  test("returns the found scripts", async () => {
    const script1 = `return "${randomID()}"`;
    const script2 = `return "${randomID()}"`;
    const hash1 = await new ScriptLoadCommand([script1]).exec(client);
    const hash2 = await new ScriptLoadCommand([script2]).exec(client);
    const res = await new ScriptExistsCommand([hash1, hash2]).exec(client);
    expect(res).toEqual([1, 1]);
  });
});

});
