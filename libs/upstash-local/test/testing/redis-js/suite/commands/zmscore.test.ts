// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zmscore.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { ZAddCommand } from "../../shim/commands.js";

import { ZMScoreCommand } from "../../shim/commands.js";

describe("commands/zmscore.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the score for single member", async () => {
  const key = newKey();
  const member = randomID();
  const score = Math.floor(Math.random() * 10);
  await new ZAddCommand([key, { score, member }]).exec(client);
  const res = await new ZMScoreCommand([key, [member]]).exec(client);
  expect(res).toEqual([score]);
});

test("returns the score for multiple members", async () => {
  const key = newKey();
  const member1 = randomID();
  const member2 = randomID();
  const member3 = randomID();
  const score1 = Math.floor(Math.random() * 10);
  const score2 = Math.floor(Math.random() * 10);
  const score3 = Math.floor(Math.random() * 10);
  await new ZAddCommand([
    key,
    { score: score1, member: member1 },
    {
      score: score2,
      member: member2,
    },
    { score: score3, member: member3 },
  ]).exec(client);
  const res = await new ZMScoreCommand([key, [member1, member2, member3]]).exec(client);
  expect(res).toEqual([score1, score2, score3]);
});

});
