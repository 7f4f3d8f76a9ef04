// Scenario 6: a token pasted into request files is found by "C2M: Scan Workspace for Tokens"; the Leak Scan view
// lists the findings by file with their status (active, expired, not known in this window).
import fs from 'node:fs';
import path from 'node:path';
import { makeGitProject } from '../../scripts/lib/demoWorkspace.mjs';
import { insertTokenByCompletion, sandboxWithLiveToken } from './lib/flows.mjs';
import { visible } from './lib/wait.mjs';
import { runCommand, treeRow } from './lib/workbench.mjs';

export const title = 'scan the workspace for tokens: findings by file, with status, in the Leak Scan view';

const b64 = (/** @type {unknown} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const forged = (/** @type {Record<string, unknown>} */ claims) =>
  `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
  await insertTokenByCompletion(s);
  await s.step('save demo.http and paste two more tokens into another request file', async () => {
    await s.page.keyboard.press('Control+S');
    // A project of its own, laid out as `npm start` lays out the demo: the run folder lies inside this
    // repository, whose .gitignore would hide every file.
    const git = makeGitProject(s.workspace);
    if (!git.ok) throw new Error(`the workspace could not be made a git repository: ${git.reason}`);
    fs.mkdirSync(path.join(s.workspace, 'scratch'), { recursive: true });
    fs.writeFileSync(
      path.join(s.workspace, 'scratch', 'pasted.http'),
      [
        '### copied from a colleague\nGET https://api.example.com/v1/jobs',
        `Authorization: Bearer ${forged({ jti: 'tok_st_9f3a51c2e07b', exp: 1_700_000_000 })}`,
        '\n### from a blog post\nGET https://api.example.com/v1/jobs',
        `Authorization: Bearer ${forged({ jti: 'tok_st_5d2e8b14aa90', exp: 4_000_000_000 })}`,
        '',
      ].join('\n'),
    );
  });
  await s.step(
    'run "C2M: Scan Workspace for Tokens": the Leak Scan view lists the findings by file, with status',
    async () => {
      await runCommand(s.page, 'C2M: Scan Workspace for Tokens');
      await visible(treeRow(s.page, 'demo.http'), 'demo.http in the Leak Scan view', 30_000);
      await visible(
        treeRow(s.page, /Ln \d+: short-term token/).filter({ hasText: 'active' }),
        'the inserted token, active, of the Sandbox profile',
      );
      await visible(treeRow(s.page, 'pasted.http'), 'scratch/pasted.http in the Leak Scan view');
      await visible(treeRow(s.page, /Ln \d+: JWT/).filter({ hasText: 'expired' }), 'the expired foreign JWT');
      await visible(treeRow(s.page, /Ln \d+: JWT/).filter({ hasText: 'not known in this window' }), 'the unknown JWT');
      await s.page.mouse.move(0, 0);
    },
  );
}
