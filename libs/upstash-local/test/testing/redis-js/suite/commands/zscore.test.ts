// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zscore.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { ZAddCommand } from "../../shim/commands.js";

import { ZScoreCommand } from "../../shim/commands.js";

describe("commands/zscore.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the score", async () => {
  const key = newKey();
  const member = randomID();
  const score = Math.floor(Math.random() * 10);
  await new ZAddCommand([key, { score, member }]).exec(client);
  const res = await new ZScoreCommand([key, member]).exec(client);
  expect(res).toEqual(score);
});

});
