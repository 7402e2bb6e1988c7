import { DueScheduler } from './due.scheduler.js';
import { VirtualClock } from './virtual.clock.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DueScheduler', () => {
  it('runs jobs in due order on one timer, scaled by the clock', async () => {
    const clock = new VirtualClock(1000);
    const scheduler = new DueScheduler(clock);
    const ran: string[] = [];
    const now = clock.now();
    scheduler.at(now + 20_000, () => ran.push('b'));
    scheduler.at(now + 10_000, () => ran.push('a'));
    scheduler.at(now + 20_000, () => ran.push('c'));
    await sleep(60); // 60 s virtual
    expect(ran).toEqual(['a', 'b', 'c']);
    scheduler.close();
  });

  it('never runs a job before its due time, even beyond the 24.8-day setTimeout limit', async () => {
    const clock = new VirtualClock(1);
    const scheduler = new DueScheduler(clock);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    let ran = false;
    scheduler.at(clock.now() + 30 * 24 * 3_600_000, () => (ran = true));
    await sleep(20);
    process.off('warning', onWarning);
    expect(ran).toBe(false);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toHaveLength(0);
    scheduler.close();
  });

  it('drops pending jobs on close', async () => {
    const clock = new VirtualClock(1000);
    const scheduler = new DueScheduler(clock);
    let ran = false;
    scheduler.at(clock.now() + 5_000, () => (ran = true));
    scheduler.close();
    scheduler.at(clock.now(), () => (ran = true));
    await sleep(20);
    expect(ran).toBe(false);
    expect(scheduler.size).toBe(0);
  });
});
