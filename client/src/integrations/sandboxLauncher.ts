// "Try with Local Sandbox": the sandbox runs inside the extension host on loopback port 8787 (else a free one),
// loaded lazily from dist/sandbox.js on first use (activation stays fast), stopped when the extension deactivates. A sandbox already
// running outside (npm start serves one and points a Sandbox profile at it) is reused instead.
import * as path from 'node:path';
import { isLoopbackHost } from '@shared/net/loopbackHost';

/** The part of dist/sandbox.js this module uses. */
interface SandboxModule {
  startSandbox(options: { port?: number; host?: string }): Promise<{ baseUrl: string; stop(): Promise<void> }>;
  DEMO_CLIENT_ID: string;
  DEMO_CLIENT_SECRET: string;
  DEMO_SCOPES: readonly string[];
}

export interface SandboxEndpoint {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** true when this extension host started it; false when an external one was reused. */
  inHost: boolean;
}

const PROBE_TIMEOUT_MS = 1500;

/**
 * Whether a C2M sandbox answers at `baseUrl`: an exchange without a token must be refused with the contract's
 * 401 invalid_token. Only loopback URLs are probed; nothing secret is sent.
 */
export async function sandboxAnswers(baseUrl: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return false;
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/auth/tokens/short`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      redirect: 'manual',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (response.status !== 401) return false;
    const body = (await response.json()) as { code?: unknown };
    return body.code === 'invalid_token';
  } catch {
    return false;
  }
}

/** The local sandbox's usual port: test/fixtures/demo-workspace/.env and `npm start` point there. */
export const DEMO_SANDBOX_PORT = 8787;

export class SandboxLauncher {
  private running: Promise<{ baseUrl: string; stop(): Promise<void> }> | undefined;
  private module: SandboxModule | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The in-host sandbox's base URL, if it was started. */
  async inHostBaseUrl(): Promise<string | undefined> {
    return this.running ? (await this.running).baseUrl : undefined;
  }

  /** The demo client every sandbox serves (loads the sandbox bundle). */
  demo(): { clientId: string; clientSecret: string; scopes: string[] } {
    const mod = this.load();
    return { clientId: mod.DEMO_CLIENT_ID, clientSecret: mod.DEMO_CLIENT_SECRET, scopes: [...mod.DEMO_SCOPES] };
  }

  /** Reuses `existingBaseUrl` when a sandbox answers there, else starts (once) the in-host one. */
  async ensure(existingBaseUrl: string | undefined): Promise<SandboxEndpoint> {
    const mod = this.load();
    const demo = this.demo();
    const inHost = await this.inHostBaseUrl();
    if (existingBaseUrl && existingBaseUrl !== inHost && (await sandboxAnswers(existingBaseUrl))) {
      this.log(`sandbox: reusing the sandbox running at ${existingBaseUrl}`);
      return { baseUrl: existingBaseUrl, inHost: false, ...demo };
    }
    if (!this.running) {
      // The port the demo workspace's .env and npm start use first, so its requests reach this sandbox; any free
      // port when another program holds that one.
      const starting = mod
        .startSandbox({ port: DEMO_SANDBOX_PORT, host: '127.0.0.1' })
        .catch(() => mod.startSandbox({ port: 0, host: '127.0.0.1' }));
      this.running = starting;
      starting.then(
        (s) => this.log(`sandbox: started in the extension host at ${s.baseUrl}`),
        () => {
          // A failed start must not stick: the next click tries again.
          if (this.running === starting) this.running = undefined;
        },
      );
    }
    const sandbox = await this.running;
    return { baseUrl: sandbox.baseUrl, inHost: true, ...demo };
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running) await (await running).stop();
  }

  dispose(): void {
    void this.stop().catch(() => undefined);
  }

  private load(): SandboxModule {
    // Lazy on purpose: the sandbox bundle is only loaded when the user asks for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.module ??= require(path.join(this.extensionPath, 'dist', 'sandbox.js')) as SandboxModule;
    return this.module;
  }
}
