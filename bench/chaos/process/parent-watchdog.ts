/**
 * Preloaded into every child of the fault suite (`node --import …/parent-watchdog.js CLI …`): when the harness that
 * started the process is gone (even after its own `kill -9`), the child kills itself, so no run leaves orphans.
 */
const parent = Number(process.env.CHAOS_PARENT_PID);
if (Number.isInteger(parent) && parent > 1) {
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
  }, 500).unref();
}
