import type { UpstashLocalStats } from './upstash-local.types.js';

export type Endpoint = keyof UpstashLocalStats['requestsByEndpoint'];

/** Mutable counters behind {@link UpstashLocalStats}. */
export class StatsCounter {
  private stats: UpstashLocalStats = StatsCounter.empty();

  request(endpoint: Endpoint, commandNames: readonly string[]): void {
    this.stats.requests += 1;
    this.stats.requestsByEndpoint[endpoint] += 1;
    this.stats.commands += commandNames.length;
    for (const name of commandNames) this.stats.commandsByName[name] = (this.stats.commandsByName[name] ?? 0) + 1;
  }

  commandErrors(count = 1): void {
    this.stats.commandErrors += count;
  }

  unauthorized(): void {
    this.stats.unauthorized += 1;
  }

  redisUnavailable(): void {
    this.stats.redisUnavailable += 1;
  }

  snapshot(): UpstashLocalStats {
    return {
      ...this.stats,
      requestsByEndpoint: { ...this.stats.requestsByEndpoint },
      commandsByName: { ...this.stats.commandsByName },
    };
  }

  reset(): void {
    this.stats = StatsCounter.empty();
  }

  private static empty(): UpstashLocalStats {
    return {
      requests: 0,
      requestsByEndpoint: { command: 0, pipeline: 0, multiExec: 0 },
      commands: 0,
      commandsByName: {},
      commandErrors: 0,
      unauthorized: 0,
      redisUnavailable: 0,
    };
  }
}
