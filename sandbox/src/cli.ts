// Entry of dist/sandbox.js. As a library it re-exports the sandbox; run directly it serves the contract:
//   node dist/sandbox.js [--port N] [--host 127.0.0.1] [--config FILE] [--exchange-limit COUNT/SECONDS|off]
// FILE is JSON: { "clients": SandboxClientConfig[], "shortTtlSeconds"?: number }.
import { readFileSync } from 'node:fs';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from './demo';
import { DEFAULT_EXCHANGE_LIMIT, parseExchangeLimit } from './exchangeLimit';
import { startSandbox } from './server';
import { totp, TOTP_STEP_SECONDS } from './totp';
import type { SandboxClientConfig, SandboxOptions } from './types';

export { startSandbox } from './server';
export type { Sandbox, SandboxClientConfig, SandboxFaults, SandboxOptions } from './types';
export { DEMO_CLIENT, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SCOPES, DEMO_TOTP_SECRET } from './demo';
export { totp } from './totp';

const USAGE =
  'Usage: node dist/sandbox.js [--port N] [--host 127.0.0.1] [--config FILE] [--exchange-limit COUNT/SECONDS|off]\n' +
  `  --exchange-limit  short-term exchanges allowed per long-term token in any SECONDS (default ${DEFAULT_EXCHANGE_LIMIT.count}/${DEFAULT_EXCHANGE_LIMIT.windowSeconds}); then 429`;

function readConfig(file: string): Pick<SandboxOptions, 'clients' | 'shortTtlSeconds'> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the config file ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text it choked on, and this file holds client secrets.
    throw new Error(`The config file ${file} is not valid JSON.`);
  }
  const config = parsed as { clients?: unknown; shortTtlSeconds?: unknown };
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(config.clients)) {
    throw new Error(`The config file ${file} must be a JSON object with a "clients" array.`);
  }
  return {
    clients: config.clients as SandboxClientConfig[],
    ...(config.shortTtlSeconds !== undefined ? { shortTtlSeconds: config.shortTtlSeconds as number } : {}),
  };
}

export function parseArgs(argv: readonly string[]): SandboxOptions {
  const options: SandboxOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value.\n${USAGE}`);
    i++;
    switch (flag) {
      case '--port':
        if (!/^\d+$/.test(value)) throw new Error(`--port needs a number, not "${value}".`);
        options.port = Number(value);
        break;
      case '--host':
        options.host = value;
        break;
      case '--config':
        Object.assign(options, readConfig(value));
        break;
      case '--exchange-limit':
        options.exchangeLimit = parseExchangeLimit(value);
        break;
      default:
        throw new Error(`Unknown option ${flag}.\n${USAGE}`);
    }
  }
  return options;
}

function banner(
  baseUrl: string,
  clients: readonly SandboxClientConfig[] | undefined,
  limit: SandboxOptions['exchangeLimit'],
): string {
  const lines = [`C2M sandbox listening on ${baseUrl}`, ''];
  const demo =
    clients === undefined ||
    clients.some((c) => c.clientId === DEMO_CLIENT_ID && c.clientSecret === DEMO_CLIENT_SECRET);
  if (demo) {
    const secondsLeft = TOTP_STEP_SECONDS - (Math.floor(Date.now() / 1000) % TOTP_STEP_SECONDS);
    lines.push(
      'Demo credentials (sandbox only, documented on purpose):',
      `  client_id      ${DEMO_CLIENT_ID}`,
      `  client_secret  ${DEMO_CLIENT_SECRET}`,
      `  TOTP secret    ${DEMO_TOTP_SECRET}  (RFC 6238, SHA-1, 6 digits, 30 s)`,
      `  OTP code now   ${totp(DEMO_TOTP_SECRET, Date.now())}  (valid ~${secondsLeft + TOTP_STEP_SECONDS} s, single use)`,
      '',
      'Try it:',
      `  curl -s -X POST ${baseUrl}/auth/tokens/long -H 'Content-Type: application/json' \\`,
      `    -d '{"grant_type":"client_credentials","client_id":"${DEMO_CLIENT_ID}","client_secret":"${DEMO_CLIENT_SECRET}"}'`,
    );
  }
  const others = (clients ?? []).map((c) => c.clientId).filter((id) => !demo || id !== DEMO_CLIENT_ID);
  if (others.length > 0) lines.push('', `Clients from the config file: ${others.join(', ')}`);
  const { count, windowSeconds } = limit === undefined || limit === 'off' ? DEFAULT_EXCHANGE_LIMIT : limit;
  lines.push(
    '',
    limit === 'off'
      ? 'Rate limit: off (--exchange-limit off).'
      : `Rate limit: ${count} short-term exchanges per long-term token in any ${windowSeconds} s, then 429 (--exchange-limit COUNT/SECONDS|off).`,
  );
  lines.push('', 'Press Ctrl+C to stop.');
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  let options: SandboxOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
    return;
  }
  // Handlers first: a signal that arrives while starting (or right after the banner) still stops cleanly.
  const starting = startSandbox(options);
  const shutdown = (signal: string) => {
    console.log(`\n${signal}: stopping the sandbox.`);
    starting
      .then((sandbox) => sandbox.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const sandbox = await starting;
  console.log(banner(sandbox.baseUrl, options.clients, options.exchangeLimit));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
