// The demo workspace `npm start` opens: the fixture's demo.http and .env, with a "Sandbox" profile in
// workspace settings pointing at the sandbox this run started. No secret is written: the client secret is
// entered once in the editor (or "Try with Local Sandbox" fills it in).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.mjs';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'demo-workspace');

/**
 * @param {string} target  emptied and filled
 * @param {string} sandboxBaseUrl
 */
export function writeDemoWorkspace(target, sandboxBaseUrl) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(FIXTURE, target, { recursive: true });
  const settings = {
    'c2m.profiles': [
      {
        id: 'sandbox',
        name: 'Sandbox',
        baseUrl: sandboxBaseUrl,
        clientId: 'c2m_demo',
        mechanism: 'client_secret',
        scopes: ['jobs:*', 'templates:*', 'tokens:*'],
      },
    ],
    'c2m.activeProfile': 'sandbox',
  };
  fs.mkdirSync(path.join(target, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(target, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  const envFile = path.join(target, '.env');
  const env = fs.readFileSync(envFile, 'utf8').replace(/^C2M_BASE_URL=.*$/m, `C2M_BASE_URL=${sandboxBaseUrl}`);
  fs.writeFileSync(envFile, env);
  return target;
}
