// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/flushall.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { newHttpClient } from "../../shim/test-utils.js";
import { FlushAllCommand } from "../../shim/commands.js";

import { describe, expect, test } from "../../shim/bun-test.js";

describe("commands/flushall.test.ts", () => {

const client = newHttpClient();

describe("without options", () => {
  test("flushes the db", async () => {
    const res = await new FlushAllCommand().exec(client);
    expect(res).toEqual("OK");
  });
});
describe("async", () => {
  test("flushes the db", async () => {
    const res = await new FlushAllCommand([{ async: true }]).exec(client);
    expect(res).toEqual("OK");
  });
});

});
