import { fork, type ChildProcess } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** A request from the orchestrator to a bench worker process. */
interface IpcRequest {
  id: number;
  cmd: string;
  args: unknown;
}

type IpcReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type IpcEvent = { event: string; data: unknown };

/** CPU time of a process, in milliseconds, from `process.cpuUsage()`. */
export interface CpuSample {
  userMs: number;
  systemMs: number;
  totalMs: number;
  /** `performance.now()` of the worker when sampled. */
  at: number;
  /** Garbage collections so far and their total pause, in ms (workers only; 0 elsewhere). */
  gcCount: number;
  gcMs: number;
}

const gc = { count: 0, ms: 0 };

/** Handle on a forked bench worker: typed calls over IPC, pushed events, CPU samples. */
export class BenchWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Array<(data: unknown) => void>>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: IpcReply | IpcEvent) => {
      if ('event' in message) {
        for (const listener of this.listeners.get(message.event) ?? []) listener(message.data);
        return;
      }
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  /**
   * Forks a compiled worker (`dist/bench/workers/<file>.js`) and waits for it to be ready. The worker's stdout is
   * dropped (Nest banners), stderr passes through so crashes are visible.
   */
  static async start(file: string, name = file): Promise<BenchWorker> {
    const path = fileURLToPath(new URL(`../workers/${file}.js`, import.meta.url));
    // NOTE: BENCH_WORKER_NODE_OPTIONS passes flags to the workers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const execArgv = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
    const child = fork(path, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
    const worker = new BenchWorker(name, child);
    await worker.once('ready', 30_000);
    return worker;
  }

  /** Calls a command of the worker; rejects with the worker's error message. */
  call<T = unknown>(cmd: string, args: unknown = {}, timeoutMs = 600_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: "${cmd}" did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, cmd, args } satisfies IpcRequest);
    });
  }

  /** Subscribes to an event the worker pushes. */
  on(event: string, listener: (data: unknown) => void): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return () => this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
  }

  /** Resolves with the next occurrence of an event; rejects on timeout or if the worker exits first. */
  once<T = unknown>(event: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        off();
        this.child.off('exit', onExit);
        fn();
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`${this.name}: no "${event}" within ${timeoutMs} ms`))), timeoutMs);
      const off = this.on(event, (data) => settle(() => resolve(data as T)));
      const onExit = () => settle(() => reject(new Error(`${this.name} exited before "${event}"`)));
      this.child.once('exit', onExit);
    });
  }

  cpu(): Promise<CpuSample> {
    return this.call<CpuSample>('cpu');
  }

  /** Asks the worker to shut down, then kills it if it lingers. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call('shutdown', {}, 15_000).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

type Handler = (args: never) => unknown;

/**
 * Worker side: answers the orchestrator's commands. Every worker answers `cpu` (its own `process.cpuUsage()`) and
 * `shutdown`; `ready` is sent once the handlers are installed.
 */
export function serveBenchWorker(handlers: Record<string, Handler>, onShutdown: () => Promise<void> = async () => undefined): void {
  if (!process.send) throw new Error('bench workers are forked by dist/bench/run.js; run `npm run bench` instead.');
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const all: Record<string, Handler> = { cpu: () => cpuSample(), ...handlers };
  process.on('message', (message: IpcRequest) => {
    void (async () => {
      if (message.cmd === 'shutdown') {
        await onShutdown().catch(() => undefined);
        process.send!({ id: message.id, ok: true, result: null }, () => process.exit(0));
        return;
      }
      const handler = all[message.cmd];
      try {
        if (!handler) throw new Error(`unknown command "${message.cmd}"`);
        const result = await (handler as (args: unknown) => unknown)(message.args);
        process.send!({ id: message.id, ok: true, result: result ?? null } satisfies IpcReply);
      } catch (error) {
        process.send!({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies IpcReply);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  emit('ready', { pid: process.pid });
}

/** Pushes an event to the orchestrator. */
export function emit(event: string, data: unknown): void {
  process.send?.({ event, data } satisfies IpcEvent);
}

export function cpuSample(): CpuSample {
  const { user, system } = process.cpuUsage();
  return { userMs: user / 1000, systemMs: system / 1000, totalMs: (user + system) / 1000, at: performance.now(), gcCount: gc.count, gcMs: gc.ms };
}
