// The one env writer inside real VS Code, against a sandbox started here and a real git repository (a folder of the
// workspace): a file that is not UTF-8 or that the user saves meanwhile keeps its bytes; the "Move token to .env"
// quick fix and Leak Scan's move go through the same guards as the sync (no symlink out of the workspace, no
// tracked file without asking, no fresh token replaced by an older one without asking); the synced variable follows
// revocation; sync targets chosen by the workspace's own settings need the user's confirmation first.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import { readEnvVariable } from '../../client/src/core/envFile';
import type { ReplaceHooks } from '../../client/src/core/fileReplace';
import type { Sandbox } from '../../sandbox/src/types';
import type { EnvSyncOutcome } from '../../client/src/integrations/envSync';
import { EnvWriter, type EnvWriteResult } from '../../client/src/integrations/envWriter';
import type { Asker } from '../../client/src/ui/inputs';
import type { Log } from '../../client/src/host/log';
import type { LeakScanResult } from '../../client/src/integrations/leakScan';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { note } from '../support/reliability/ledger';
import { config, eventually, run, tokenOf } from '../support/inHost/extension';
import { signInDemoProfile, type SignedInDemo } from '../support/inHost/suiteSetup';

const PROFILE = 'envw';
const DIR = 'envw';

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration run opens a workspace folder');
  return folder.uri.fsPath;
}

const at = (relative: string): string => path.join(root(), DIR, relative);

function write(relative: string, content: string | Buffer): string {
  const file = at(relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function read(relative: string): string | undefined {
  return fs.existsSync(at(relative)) ? fs.readFileSync(at(relative), 'utf8') : undefined;
}

async function protectedStatus(sandbox: Sandbox, token: string): Promise<number> {
  return (await fetch(`${sandbox.baseUrl}/jobs`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

/** The quick fix the language server offers for the token at `range`, run as the light bulb runs it. */
async function runMoveQuickFix(doc: vscode.TextDocument, range: vscode.Range): Promise<void> {
  const move = await eventually(async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    );
    return actions.find((a) => a.command?.command === ClientCommands.moveTokenToEnv)?.command;
  }, 'the move-to-.env quick fix');
  await vscode.commands.executeCommand(move.command, ...(move.arguments ?? []));
}

describe('env writer: one writer, its guards, and a .env that follows revocation', function () {
  this.timeout(120_000);
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let demo: SignedInDemo | undefined;
  let madeRepo = false;

  before(async () => {
    demo = await signInDemoProfile(PROFILE, 'Env Writer');
    ({ api, sandbox } = demo);
    // The workspace as a repository of its own, so "git ignores it" is answered by real git (and not by a repository
    // the harness's run folder may sit in); removed again in after().
    fs.mkdirSync(at(''), { recursive: true });
    madeRepo = !fs.existsSync(path.join(root(), '.git'));
    if (madeRepo) execFileSync('git', ['init', '-q'], { cwd: root() });
    write('.gitignore', 'ignored/\nsaves/\nlatin1/\nleak/.env\nrevoke/.env\nlinks/\n');
  });

  afterEach(async () => {
    // Off first: a sync of the default target (.env at the root, in no repository) would ask the user.
    await config().update('envSync.enabled', undefined, vscode.ConfigurationTarget.Global);
    await config().update('envSync.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('envSync.targets', undefined, vscode.ConfigurationTarget.Global);
    await config().update('envSync.targets', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await demo?.end();
    fs.rmSync(at(''), { recursive: true, force: true });
    if (madeRepo) fs.rmSync(path.join(root(), '.git'), { recursive: true, force: true });
  });

  /** Turns the sync on for `targets` in User settings and runs the command; its outcomes and what it told the user. */
  async function syncNow(
    targets: { file: string; variable?: string }[],
  ): Promise<{ outcomes: EnvSyncOutcome[]; told: string[] }> {
    await config().update(
      'envSync.targets',
      targets.map((t) => ({ variable: 'C2M_ACCESS_TOKEN', ...t, file: `${DIR}/${t.file}` })),
      vscode.ConfigurationTarget.Global,
    );
    await config().update('envSync.enabled', true, vscode.ConfigurationTarget.Global);
    const before = api.testing.noticeMark();
    const outcomes = await run<EnvSyncOutcome[]>('c2m.syncEnv');
    assert.ok(outcomes, 'the command ran');
    return {
      outcomes,
      told: api.testing.noticesSince(before).map((n) => n.message),
    };
  }

  /** A writer of its own with scripted prompts and a hook between writing the temporary file and the rename. */
  function ownWriter(hooks: ReplaceHooks, told: string[]): EnvWriter {
    return new EnvWriter({
      asker: { confirm: async () => undefined } as unknown as Asker,
      log: { info: () => undefined, warn: () => undefined } as unknown as Log,
      notifier: { warn: (m: string) => void told.push(m) },
      globalState: {
        get: (_k: string, d?: unknown) => d,
        update: async () => undefined,
        keys: () => [],
      } as unknown as vscode.Memento,
      isIgnored: async () => 'ignored',
      isTrusted: () => true,
      known: () => api.tokens.tokens(),
      profileName: (id) => id,
      hooks,
    });
  }

  it('a .env that is not valid UTF-8 is left byte for byte as it was, and the user is told', async () => {
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nC2M_ACCESS_TOKEN=old\n')]);
    write('latin1/.env', bytes);
    const { outcomes, told } = await syncNow([{ file: 'latin1/.env' }]);
    assert.deepEqual(
      outcomes.map((o) => o.result),
      ['not_utf8'],
    );
    assert.ok(fs.readFileSync(at('latin1/.env')).equals(bytes), 'not a byte changed');
    assert.ok(
      told.some((m) => m.includes('not valid UTF-8')),
      JSON.stringify(told),
    );
  });

  it('a save made while the token is written is kept: the file is read again once, then the user is told', async () => {
    const { value } = await api.testing.engine.getShortTermToken(PROFILE);
    const file = write('saves/.env', 'A=1\nC2M_ACCESS_TOKEN=\n');
    const told: string[] = [];
    // Once: the writer notices, reads the user's save and writes the token into it.
    let saves = 0;
    const once = ownWriter(
      { beforeCommit: async () => void (saves++ === 0 && fs.appendFileSync(file, 'MINE=saved\n')) },
      told,
    );
    assert.equal(
      await once.write({ fsPath: file, variable: 'C2M_ACCESS_TOKEN', value, profileId: PROFILE }),
      'written',
    );
    assert.equal(read('saves/.env'), `A=1\nC2M_ACCESS_TOKEN=${value}\nMINE=saved\n`);
    // Every time: nothing is written over the user's saves, and the user is told.
    fs.writeFileSync(file, 'A=1\nC2M_ACCESS_TOKEN=\n');
    let n = 0;
    const always = ownWriter({ beforeCommit: async () => fs.appendFileSync(file, `MINE${n++}=saved\n`) }, told);
    assert.equal(
      await always.write({ fsPath: file, variable: 'C2M_ACCESS_TOKEN', value, profileId: PROFILE }),
      'changed_meanwhile',
    );
    assert.equal(read('saves/.env'), 'A=1\nC2M_ACCESS_TOKEN=\nMINE0=saved\nMINE1=saved\n');
    assert.ok(
      told.some((m) => m.includes('kept changing')),
      JSON.stringify(told),
    );
    assert.deepEqual(
      fs.readdirSync(at('saves')).filter((f) => f.includes('c2m-tmp')),
      [],
      'no temporary file left',
    );
  });

  it('the Move-to-.env quick fix never follows a symlinked .env out of the workspace', async () => {
    const outside = fs.mkdtempSync(path.join(path.dirname(root()), 'c2m-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'target.env'), 'A=1\n');
      write(
        'links/req.http',
        'GET http://example.invalid/jobs\nAuthorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJsaW5rIn0.c2lnbmF0dXJl\n',
      );
      fs.symlinkSync(path.join(outside, 'target.env'), at('links/.env'));
      const doc = await vscode.workspace.openTextDocument(at('links/req.http'));
      await vscode.window.showTextDocument(doc);
      const before = api.testing.noticeMark();
      await runMoveQuickFix(doc, new vscode.Range(1, 25, 1, 30));
      assert.equal(fs.readFileSync(path.join(outside, 'target.env'), 'utf8'), 'A=1\n', 'the link target is untouched');
      assert.ok(doc.getText().includes('Bearer eyJ'), 'the token stays in the request file');
      const told = api.testing.noticesSince(before).map((n) => n.message);
      assert.ok(
        told.some((m) => m.includes('symbolic link')),
        JSON.stringify(told),
      );
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('the Move-to-.env quick fix asks before writing into a .env git does not ignore; declined writes nothing', async () => {
    write(
      'tracked/req.http',
      'GET http://example.invalid/jobs\nAuthorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0cmFja2VkIn0.c2lnbmF0dXJl\n',
    );
    const doc = await vscode.workspace.openTextDocument(at('tracked/req.http'));
    await vscode.window.showTextDocument(doc);
    api.testing.answer(undefined); // "Write to This File?" Escape
    await runMoveQuickFix(doc, new vscode.Range(1, 25, 1, 30));
    assert.equal(api.testing.pendingAnswers(), 0, 'the user was asked');
    assert.equal(read('tracked/.env'), undefined, 'no .env written into the tracked folder');
    assert.ok(doc.getText().includes('Bearer eyJ'), 'the token stays in the request file');
  });

  it("Leak Scan's move does not replace a fresher token of the profile in .env with an older one without asking", async () => {
    const older = await api.testing.getShortTermToken(PROFILE);
    assert.ok(await run('c2m.refreshShortTermToken', PROFILE));
    const fresh = await api.testing.getShortTermToken(PROFILE);
    assert.notEqual(fresh, older);
    write('leak/.env', `C2M_ACCESS_TOKEN=${fresh}\n`);
    write('leak/old.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${older}\n`);
    const findingOf = async () => {
      const scan = await run<LeakScanResult>('c2m.scanWorkspace');
      return scan?.findings.find((f) => vscode.Uri.parse(f.uri).fsPath === at('leak/old.http'));
    };
    const finding = await findingOf();
    assert.ok(
      finding,
      `the scan finds the older token: ${JSON.stringify((await run<LeakScanResult>('c2m.scanWorkspace'))?.findings.map((f) => [f.uri, f.status]))}`,
    );
    api.testing.answer(undefined); // "Replace the token in C2M_ACCESS_TOKEN?" Escape
    await run('c2m.leak.moveToEnv', api.testing.leakNode(finding));
    assert.equal(api.testing.pendingAnswers(), 0, 'the user was asked');
    assert.equal(readEnvVariable(read('leak/.env') ?? '', 'C2M_ACCESS_TOKEN'), fresh, 'the fresh token is kept');
    assert.equal(
      read('leak/old.http'),
      `GET http://example.invalid/jobs\nAuthorization: Bearer ${older}\n`,
      'nothing moved',
    );
    // Allowed: moved.
    api.testing.answer('Replace It');
    await run('c2m.leak.moveToEnv', api.testing.leakNode((await findingOf())!));
    assert.equal(readEnvVariable(read('leak/.env') ?? '', 'C2M_ACCESS_TOKEN'), older);
    assert.equal(
      read('leak/old.http'),
      'GET http://example.invalid/jobs\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\n',
    );
  });

  it('the synced .env follows revocation: a fresh token after a short-term revoke, emptied (and said) after a long-term one', async () => {
    write('revoke/.env', '# kept by C2M\nC2M_ACCESS_TOKEN=\nOTHER=1 # mine\n');
    // Turning the sync on writes at once; the command then finds it done (or writes it, if it came first).
    const first = await syncNow([{ file: 'revoke/.env' }]);
    assert.ok(['written', 'unchanged'].includes(first.outcomes[0]?.result ?? ''), JSON.stringify(first.outcomes));
    assert.ok(
      first.told.some((m) =>
        /Wrote the short-term token of profile "Env Writer" to C2M_ACCESS_TOKEN|C2M_ACCESS_TOKEN in envw\/revoke\/\.env already holds the current short-term token of profile "Env Writer"/.test(
          m,
        ),
      ),
      JSON.stringify(first.told),
    );
    const written = readEnvVariable(read('revoke/.env') ?? '', 'C2M_ACCESS_TOKEN') ?? '';
    assert.equal(await protectedStatus(sandbox, written), 200);

    await api.testing.engine.revoke(PROFILE, 'short');
    assert.equal(await protectedStatus(sandbox, written), 401);
    const fresh = await eventually(() => {
      const value = readEnvVariable(read('revoke/.env') ?? '', 'C2M_ACCESS_TOKEN');
      return value && value !== written ? value : undefined;
    }, 'a fresh token in .env after the short-term revoke');
    assert.equal(await protectedStatus(sandbox, fresh), 200);
    assert.equal(tokenFingerprint(fresh), tokenOf(api, PROFILE, 'short')?.fingerprint);

    const before = api.testing.noticeMark();
    await api.testing.engine.revoke(PROFILE, 'long');
    await eventually(
      () => (readEnvVariable(read('revoke/.env') ?? '', 'C2M_ACCESS_TOKEN') === '' ? true : undefined),
      'the variable emptied',
    );
    assert.equal(read('revoke/.env'), '# kept by C2M\nC2M_ACCESS_TOKEN=\nOTHER=1 # mine\n', 'only the value changed');
    await eventually(
      () =>
        api.testing.noticesSince(before).some((n) => n.message.includes('emptied C2M_ACCESS_TOKEN')) ? true : undefined,
      'the user told',
    );

    // The command says why it writes nothing now.
    const after = await syncNow([{ file: 'revoke/.env' }]);
    assert.deepEqual(
      after.outcomes.map((o) => o.result),
      ['no_token'],
    );
    assert.ok(
      after.told.some((m) => m.includes('not written') && m.includes('revoked')),
      JSON.stringify(after.told),
    );
    assert.ok(await run('c2m.issueLongTermToken', PROFILE), 'signed in again for the next tests');
  });

  it("[A5] a sync target chosen by the workspace's settings is written only after the user allows it, once per file, variable and profile", async () => {
    const n = note('A5', 'workspace settings pick env sync targets: declined, allowed once, unsafe variable name');
    await api.testing.engine.getShortTermToken(PROFILE);
    const ws = vscode.ConfigurationTarget.Workspace;
    // What a repository's .vscode/settings.json says; then the user turns the sync on, which asks (declined, allowed).
    api.testing.answer(undefined, 'Allow');
    await config().update(
      'envSync.targets',
      [
        { file: `${DIR}/ignored/declined.env`, variable: 'C2M_ACCESS_TOKEN', profile: PROFILE },
        { file: `${DIR}/ignored/allowed.env`, variable: 'C2M_ACCESS_TOKEN', profile: PROFILE },
        { file: `${DIR}/ignored/bad.env`, variable: 'path; rm -rf', profile: PROFILE },
      ],
      ws,
    );
    await config().update('envSync.enabled', true, vscode.ConfigurationTarget.Global);
    n.badInput(3);
    const outcomes = await run<EnvSyncOutcome[]>('c2m.syncEnv');
    n.done();
    // Turning the sync on ran it already (that run asked): the command finds the allowed target written, or writes it.
    const [declined, allowed, bad] = outcomes?.map((o) => o.result) ?? [];
    assert.deepEqual([declined, bad], ['target_declined', 'bad_variable']);
    assert.ok(allowed === 'written' || allowed === 'unchanged', String(allowed));
    assert.equal(api.testing.pendingAnswers(), 0, 'asked once per workspace target with a safe name');
    assert.equal(read('ignored/declined.env'), undefined);
    assert.equal(read('ignored/bad.env'), undefined);
    assert.equal(
      readEnvVariable(read('ignored/allowed.env') ?? '', 'C2M_ACCESS_TOKEN'),
      await api.testing.getShortTermToken(PROFILE),
    );
    // Asked again: neither the declined nor the allowed target asks (an unexpected prompt would hang this test).
    const again = await run<EnvSyncOutcome[]>('c2m.syncEnv');
    assert.deepEqual(
      again?.map((o) => o.result),
      ['target_declined', 'unchanged', 'bad_variable'],
    );
    // The same list from User settings is the user's own choice: no confirmation.
    await config().update('envSync.targets', undefined, ws);
    await config().update(
      'envSync.targets',
      [{ file: `${DIR}/ignored/user.env`, variable: 'C2M_ACCESS_TOKEN', profile: PROFILE }],
      vscode.ConfigurationTarget.Global,
    );
    const own = (await run<EnvSyncOutcome[]>('c2m.syncEnv'))?.map((o) => o.result);
    assert.ok(own?.length === 1 && (own[0] === 'written' || own[0] === 'unchanged'), JSON.stringify(own));
    assert.equal(
      readEnvVariable(read('ignored/user.env') ?? '', 'C2M_ACCESS_TOKEN'),
      await api.testing.getShortTermToken(PROFILE),
    );
    assert.equal(api.testing.pendingAnswers(), 0);
  });

  it('a write refused by a guard is reported by the command in plain words', async () => {
    const { outcomes, told } = await syncNow([{ file: '../../outside.env' }]);
    assert.deepEqual(
      outcomes.map((o) => o.result as EnvWriteResult),
      ['outside_workspace'],
    );
    assert.ok(
      told.some((m) => m.includes('not written') && m.includes('not inside the workspace folder')),
      JSON.stringify(told),
    );
  });
});
