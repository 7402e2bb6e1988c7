// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/flushdb.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";
import { newHttpClient } from "../../shim/test-utils.js";
import { FlushDBCommand } from "../../shim/commands.js";

describe("commands/flushdb.test.ts", () => {

const client = newHttpClient();

describe("without options", () => {
  test("flushes the db", async () => {
    const res = await new FlushDBCommand([]).exec(client);
    expect(res).toEqual("OK");
  });
});
describe("async", () => {
  test("flushes the db", async () => {
    const res = await new FlushDBCommand([{ async: true }]).exec(client);
    expect(res).toEqual("OK");
  });
});

});
