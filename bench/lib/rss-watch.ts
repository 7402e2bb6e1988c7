/** The RSS of this process sampled on a timer: the baseline when the watch started and the peak since. */
export interface RssReport {
  baselineBytes: number;
  peakBytes: number;
  endBytes: number;
  samples: number;
}

/** Samples `process.memoryUsage.rss()` every few ms between `start` and `stop` (a bench worker's memory under load). */
export class RssWatch {
  private timer?: NodeJS.Timeout;
  private baseline = 0;
  private peak = 0;
  private samples = 0;

  /** Starts (or restarts) watching; resolves the RSS now. */
  start(intervalMs = 20): number {
    this.stopTimer();
    this.baseline = process.memoryUsage.rss();
    this.peak = this.baseline;
    this.samples = 1;
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this.baseline;
  }

  stop(): RssReport {
    this.sample();
    this.stopTimer();
    return { baselineBytes: this.baseline, peakBytes: this.peak, endBytes: process.memoryUsage.rss(), samples: this.samples };
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    this.samples++;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
