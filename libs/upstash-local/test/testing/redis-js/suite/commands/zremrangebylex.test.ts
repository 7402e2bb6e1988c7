// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zremrangebylex.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { ZAddCommand } from "../../shim/commands.js";

import { ZRemRangeByLexCommand } from "../../shim/commands.js";

describe("commands/zremrangebylex.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of elements removed", async () => {
  const key = newKey();
  await new ZAddCommand([
    key,
    { score: 0, member: "aaaa" },
    { score: 0, member: "b" },
    { score: 0, member: "c" },
    { score: 0, member: "d" },
    { score: 0, member: "e" },
  ]).exec(client);

  const res = await new ZRemRangeByLexCommand([key, "[b", "[e"]).exec(client);
  expect(res).toEqual(4);
});

});
