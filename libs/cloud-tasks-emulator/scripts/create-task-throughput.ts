/**
 * CreateTask throughput of the emulator in memory and with a data directory (the journal on the hot path), through
 * the real CloudTasksClient over gRPC into a paused queue, at a fixed concurrency. Rounds alternate the two modes;
 * the best round of each is printed.
 *
 *   node --experimental-vm-modules dist/libs/cloud-tasks-emulator/scripts/create-task-throughput.js [tasks] [concurrency] [rounds]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmulatorClient, startEmulator } from '../src/index.js';

const [tasks = 20_000, concurrency = 64, rounds = 3] = process.argv.slice(2).map(Number);
const parent = 'projects/bench/locations/here';
const queue = `${parent}/queues/bench`;

async function round(dataDir: string | undefined): Promise<number> {
  const emu = await startEmulator({ keyFile: false, dataDir, queues: { projectId: 'bench', location: 'here', queues: ['bench'] } });
  const client = createEmulatorClient(emu.grpcAddress);
  try {
    await client.pauseQueue({ name: queue });
    const task = { httpRequest: { url: 'http://127.0.0.1:9/job', body: Buffer.from(JSON.stringify({ userId: 'u-123', kind: 'calendar-sync' })) } };
    for (let i = 0; i < 500; i++) await client.createTask({ parent: queue, task });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < tasks) await client.createTask({ parent: queue, task });
      }),
    );
    return tasks / ((performance.now() - started) / 1000);
  } finally {
    await client.close();
    await emu.close();
  }
}

const best = { memory: 0, dataDir: 0 };
for (let r = 0; r < rounds; r++) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'emulator-throughput-'));
  try {
    best.memory = Math.max(best.memory, await round(undefined));
    best.dataDir = Math.max(best.dataDir, await round(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
process.stdout.write(
  `CreateTask throughput (${tasks} tasks, concurrency ${concurrency}, best of ${rounds}): in memory ${best.memory.toFixed(0)}/s, ` +
    `--data-dir ${best.dataDir.toFixed(0)}/s (${((best.dataDir / best.memory) * 100).toFixed(0)}%)\n`,
);
