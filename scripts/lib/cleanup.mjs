// One owner for everything a harness script starts: whatever happens (success, failure, Ctrl+C,
// SIGTERM, an uncaught error), each registered process group is stopped before the script exits.

/** @type {Map<number, string>} process-group id -> label */
const groups = new Map();
let installed = false;

/** @param {number} pgid */
function killGroup(pgid, signal = /** @type {NodeJS.Signals} */ ('SIGKILL')) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

function installHandlers() {
  if (installed) return;
  installed = true;
  // 'exit' handlers must be synchronous: SIGKILL whatever is still registered.
  process.on('exit', () => {
    for (const pgid of groups.keys()) killGroup(pgid);
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping ${groups.size} process group(s)`);
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * Registers a child started with `detached: true` (its own session and process group).
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} label
 * @returns {() => Promise<void>} stops the whole group: SIGTERM, then SIGKILL if it lingers.
 */
export function ownProcessGroup(child, label) {
  installHandlers();
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`${label} did not start`);
  groups.set(pgid, label);
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
    else child.once('exit', () => resolve(undefined));
  });
  return async () => {
    if (!groups.has(pgid)) return;
    killGroup(pgid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pgid), 5000);
    await exited;
    clearTimeout(timer);
    // The leader may exit before its children (extension hosts, pty hosts): sweep the group.
    killGroup(pgid);
    groups.delete(pgid);
  };
}
