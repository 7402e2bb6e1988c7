import type { Scenario } from './scenarios/index.js';

/** How `npm run chaos` was asked to run. */
export interface ChaosConfig {
  short: boolean;
  /** Scenarios to run, in suite order. */
  scenarios: Scenario[];
  list: boolean;
  keepLogs: boolean;
  seed: number;
}

export const USAGE = `Usage: npm run chaos -- [--short] [--only NAME[,NAME…]] [--seed N] [--keep-logs] [--list]

Runs the fault suite: the emulator, upstash-local, a store fault proxy, app instances behind a load balancer, all
as separate processes; prints one row per scenario and exits 1 when a target is missed.

  --short        smaller sizes (CI)
  --only NAMES   run only these scenarios (comma-separated; see --list)
  --seed N       seed of the injected faults and work durations (default 1)
  --keep-logs    keep the processes' logs even when every row passes (they are kept when one fails)
  --list         list the scenarios and exit`;

/** Parses the command line against the known scenarios. */
export function parseChaosArgs(argv: readonly string[], all: readonly Scenario[]): ChaosConfig {
  const config: ChaosConfig = { short: false, scenarios: [...all], list: false, keepLogs: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value.\n\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--short':
        config.short = true;
        break;
      case '--keep-logs':
        config.keepLogs = true;
        break;
      case '--list':
        config.list = true;
        break;
      case '--seed': {
        const seed = Number(value());
        if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer.`);
        config.seed = seed;
        break;
      }
      case '--only': {
        const names = value().split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = names.filter((n) => !all.some((s) => s.name === n));
        if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.map((n) => `"${n}"`).join(', ')}: expected some of ${all.map((s) => s.name).join(', ')}.`);
        config.scenarios = all.filter((s) => names.includes(s.name));
        break;
      }
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`Unknown option ${argv[i]}.\n\n${USAGE}`);
    }
  }
  return config;
}
