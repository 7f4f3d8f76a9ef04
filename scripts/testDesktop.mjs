// `npm run test:desktop`: the same in-host suite (out/test/integration/index.js) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (this project's CI machines cannot: use
// `npm run test:integration` there). VS Code 1.139.1 matches the code-server the harness pins; the download
// is cached next to the code-server cache, outside the clone. Options: --version <x.y.z|stable>, --grep <pattern>.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { runStep } from './lib/build.mjs';
import { REPO_ROOT, cacheRoot, runDir } from './lib/paths.mjs';

const { values: options } = parseArgs({
  options: {
    version: { type: 'string', default: '1.139.1' },
    grep: { type: 'string' },
  },
});

async function main() {
  runStep('build (--tests)', process.execPath, ['esbuild.mjs', '--tests']);
  const run = runDir('desktop');
  fs.rmSync(run, { recursive: true, force: true });
  const workspace = path.join(run, 'workspace');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const reportDir = path.join(run, 'report');
  fs.mkdirSync(reportDir, { recursive: true });
  // Mocha's spec output reaches this terminal directly on desktop; the report dir adds result.json.
  const extensionTestsEnv = {
    C2M_TEST_REPORT_DIR: reportDir,
    ...(options.grep ? { C2M_TEST_GREP: options.grep } : {}),
    ...(options.version === 'stable' ? {} : { C2M_EXPECT_VSCODE_VERSION: options.version }),
  };
  return runTests({
    version: options.version,
    cachePath: path.join(cacheRoot(), 'vscode-test'),
    // The same two extensions as in code-server: this one and the test-only consumer of its auth provider.
    extensionDevelopmentPath: [REPO_ROOT, path.join(REPO_ROOT, 'test', 'fixtures', 'consumer-extension')],
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
    extensionTestsEnv,
    launchArgs: [
      workspace,
      '--disable-extensions', // only the extension under development
      '--disable-workspace-trust',
      `--user-data-dir=${path.join(run, 'user-data')}`,
      `--extensions-dir=${path.join(run, 'extensions')}`,
    ],
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`test:desktop: ${message}`);
    if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(message)) {
      console.error(
        'VS Code cannot be downloaded from here; run the same suite in code-server with `npm run test:integration`.',
      );
    }
    process.exit(1);
  },
);
