// One owner for everything a harness script starts: whatever happens (success, failure, Ctrl+C,
// SIGTERM, an uncaught error), each registered process group and cleanup runs before the script exits.

/** @type {Map<number, string>} process-group id -> label */
const groups = new Map();
/** @type {Set<() => Promise<void>>} graceful stops, run on signals */
const stoppers = new Set();
let installed = false;
let stopping = false;

/** @param {number} pgid @param {NodeJS.Signals} signal */
function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs every graceful stop, then exits; a second signal exits at once (the 'exit' hook still SIGKILLs). */
async function stopAllAndExit(/** @type {number} */ code) {
  if (stopping) process.exit(code);
  stopping = true;
  await Promise.allSettled([...stoppers].map((stop) => stop()));
  process.exit(code);
}

function installHandlers() {
  if (installed) return;
  installed = true;
  // 'exit' handlers must be synchronous: SIGKILL whatever is still registered.
  process.on('exit', () => {
    for (const pgid of groups.keys()) killGroup(pgid, 'SIGKILL');
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping`);
      void stopAllAndExit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    void stopAllAndExit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    void stopAllAndExit(1);
  });
}

/**
 * Registers a graceful stop (a server in this process, a browser) to run on signals and errors.
 * @param {() => Promise<void>} stop
 * @returns {() => Promise<void>} runs the stop once and unregisters it
 */
export function onCleanup(stop) {
  installHandlers();
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    stoppers.delete(once);
    await stop();
  };
  stoppers.add(once);
  return once;
}

/**
 * Registers a child started with `detached: true` (its own session and process group).
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} label
 * @returns {() => Promise<void>} stops the whole group: SIGTERM, then SIGKILL if it lingers.
 */
export function ownProcessGroup(child, label) {
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`${label} did not start`);
  groups.set(pgid, label);
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
    else child.once('exit', () => resolve(undefined));
  });
  return onCleanup(async () => {
    killGroup(pgid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // The leader may exit before its children (extension hosts, pty hosts): sweep the group.
    killGroup(pgid, 'SIGKILL');
    groups.delete(pgid);
  });
}
