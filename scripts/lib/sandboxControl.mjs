// The sandbox `npm start` runs, on a port that stays the same from one start to the next (profiles keep working),
// stopped and started again on demand so an outage can be tried on purpose, and the demo client's one-time code.
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './paths.mjs';

/** The sandbox's port unless `--sandbox-port` says otherwise: the one the README's examples use. */
export const DEFAULT_SANDBOX_PORT = 8787;
/** RFC 6238 time step of the demo client's one-time codes. */
const TOTP_STEP_SECONDS = 30;

/**
 * @typedef {{ baseUrl: string, stop(): Promise<void> }} RunningSandbox
 * @typedef {{
 *   startSandbox(options: { port?: number, host?: string }): Promise<RunningSandbox>,
 *   totp(secret: string, atMs: number): string,
 *   DEMO_CLIENT_SECRET: string,
 *   DEMO_TOTP_SECRET: string,
 * }} SandboxModule
 */

/** dist/sandbox.js is the shipped CommonJS bundle (built by `npm run package` / esbuild). @returns {SandboxModule} */
export function loadSandbox() {
  const require = createRequire(import.meta.url);
  return require(path.join(REPO_ROOT, 'dist', 'sandbox.js'));
}

/** The base URL a sandbox on this port serves (the same whether it runs now or not). @param {number} port */
export function sandboxBaseUrl(port) {
  return `http://127.0.0.1:${port}/v1`;
}

/**
 * @param {SandboxModule} sandboxModule
 * @param {number} port
 */
export function sandboxControl(sandboxModule, port) {
  /** @type {RunningSandbox | undefined} */
  let running;
  const control = {
    get running() {
      return running !== undefined;
    },
    async start() {
      if (running) return;
      try {
        running = await sandboxModule.startSandbox({ port, host: '127.0.0.1' });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!/EADDRINUSE/.test(message)) throw error;
        throw new Error(
          `port ${port} is taken, so the sandbox cannot start there (another npm start or npm run sandbox?). ` +
            `Stop that one, pass --sandbox-port N for another port, or --no-sandbox to use the sandbox already on ${port}.`,
          { cause: error },
        );
      }
    },
    async stop() {
      const stopping = running;
      running = undefined;
      await stopping?.stop();
    },
    /** @returns {Promise<string>} what happened, for the terminal */
    async toggle() {
      if (running) {
        await control.stop();
        return `sandbox stopped: ${sandboxBaseUrl(port)} refuses connections now (press s to start it again).`;
      }
      await control.start();
      return `sandbox started again on ${sandboxBaseUrl(port)} (a new sandbox: it knows none of the tokens the last one issued).`;
    },
  };
  return control;
}

/** The demo client's current one-time code, as a line for the terminal. @param {SandboxModule} sandboxModule @param {number} nowMs */
export function oneTimeCodeLine(sandboxModule, nowMs) {
  const secondsLeft = TOTP_STEP_SECONDS - (Math.floor(nowMs / 1000) % TOTP_STEP_SECONDS);
  return `one-time code now: ${sandboxModule.totp(sandboxModule.DEMO_TOTP_SECRET, nowMs)} (client c2m_demo; the next one in ${secondsLeft} s; each code works once)`;
}
