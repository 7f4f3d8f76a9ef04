// The token broker inside real VS Code (code-server), against a sandbox started here: .env sync (git-ignored file
// rewritten on refresh, a tracked file only after the user allows it once), the opt-in terminal environment (read
// back from a real terminal process), the workspace leak scan and its actions, and the c2m authentication provider
// used by a second, test-only extension through vscode.authentication.getSession().
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import { readEnvVariable } from '../../client/src/core/envFile';
import type { Sandbox } from '../../sandbox/src/types';
import type { ReplaceHooks } from '../../client/src/core/fileReplace';
import { accountLabelOf } from '../../client/src/integrations/authProvider';
import { EnvSync, type EnvSyncOutcome } from '../../client/src/integrations/envSync';
import { EnvWriter } from '../../client/src/integrations/envWriter';
import type { Asker } from '../../client/src/ui/inputs';
import type { Log } from '../../client/src/host/log';
import type { LeakFinding, LeakScanResult } from '../../client/src/integrations/leakScan';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { config, eventually, exchangesOf, run, tokenOf, until } from '../support/inHost/extension';
import { signInDemoProfile, type SignedInDemo } from '../support/inHost/suiteSetup';

const PROFILE = 'broker';
/** Mentions "C2M API" so the runner's prompt helper also confirms the Accounts menu's sign-out for it. */
const PROFILE_NAME = 'Broker (C2M API test)';
const CONSUMER_ID = 'c2m-test.c2m-consumer';
/** The account's label: the profile's name and id (consent is per label, so labels are per profile). */
const LABEL = accountLabelOf({ id: PROFILE, name: PROFILE_NAME });

interface Consumer {
  getSession(
    scopes: string[],
    options: vscode.AuthenticationGetSessionOptions,
  ): Promise<vscode.AuthenticationSession | undefined>;
  accounts(): Promise<readonly vscode.AuthenticationSessionAccountInformation[]>;
  sessionChanges(): number;
}

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration run opens a workspace folder');
  return folder.uri.fsPath;
}

function write(relative: string, text: string): string {
  const file = path.join(root(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function read(relative: string): string | undefined {
  const file = path.join(root(), relative);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function forgedJwt(payload: Record<string, unknown>): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

async function protectedStatus(sandbox: Sandbox, token: string): Promise<number> {
  return (await fetch(`${sandbox.baseUrl}/jobs`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

describe('broker: .env sync, terminal environment, leak scan, authentication provider', function () {
  this.timeout(120_000);
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let demo: SignedInDemo | undefined;

  before(async () => {
    demo = await signInDemoProfile(PROFILE, PROFILE_NAME);
    ({ api, sandbox } = demo);
    // A repository, so that "git ignores it" means something; removed again in after().
    execFileSync('git', ['init', '-q'], { cwd: root() });
    write('.gitignore', '.env\nignored/\n');
  });

  after(async () => {
    await config().update('envSync.enabled', undefined, vscode.ConfigurationTarget.Global);
    await config().update('envSync.targets', undefined, vscode.ConfigurationTarget.Global);
    await config().update('terminal.injectToken', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('search')
      .update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    await demo?.end();
    fs.rmSync(path.join(root(), '.git'), { recursive: true, force: true });
    for (const p of ['.gitignore', 'broker-env', 'leaks', 'ignored', 'excluded', 'hidden'])
      fs.rmSync(path.join(root(), p), { recursive: true, force: true });
  });

  describe('.env sync', () => {
    it('rewrites only the variable in a git-ignored .env, and again on every refresh', async () => {
      write(
        'broker-env/.env',
        '# kept by hand\nC2M_BASE_URL=http://example.invalid/v1\n\n# below: kept current by C2M Tokens\nC2M_ACCESS_TOKEN=placeholder\nOTHER="x y" # note\n',
      );
      await config().update(
        'envSync.targets',
        [{ file: 'broker-env/.env', variable: 'C2M_ACCESS_TOKEN' }],
        vscode.ConfigurationTarget.Global,
      );
      await config().update('envSync.enabled', true, vscode.ConfigurationTarget.Global);
      const outcomes = await run<EnvSyncOutcome[]>('c2m.syncEnv');
      assert.ok(
        outcomes?.some((o) => o.result === 'written' || o.result === 'unchanged'),
        JSON.stringify(outcomes),
      );
      const first = await api.testing.getShortTermToken(PROFILE);
      const text = read('broker-env/.env') ?? '';
      assert.equal(readEnvVariable(text, 'C2M_ACCESS_TOKEN'), first);
      assert.equal(
        text,
        `# kept by hand\nC2M_BASE_URL=http://example.invalid/v1\n\n# below: kept current by C2M Tokens\nC2M_ACCESS_TOKEN=${first}\nOTHER="x y" # note\n`,
      );
      assert.equal(await protectedStatus(sandbox, readEnvVariable(text, 'C2M_ACCESS_TOKEN') ?? ''), 200);

      // A refresh (any cause: timer, command, another window) rewrites it without a command.
      const refreshed = await run<{ fingerprint: string }>('c2m.refreshShortTermToken', PROFILE);
      assert.ok(refreshed);
      const second = await eventually(() => {
        const value = readEnvVariable(read('broker-env/.env') ?? '', 'C2M_ACCESS_TOKEN');
        return value && tokenFingerprint(value) === refreshed.fingerprint ? value : undefined;
      }, '.env rewritten after the refresh');
      assert.notEqual(second, first);
      assert.equal(await protectedStatus(sandbox, second), 200);
    });

    it('asks before writing into a file git does not ignore: declined writes nothing, allowed is remembered for that file', async () => {
      write('broker-env/tracked.env', 'A=1\n');
      // Asked once per file, in target order: tracked.env is declined, new.env (not ignored either) is allowed.
      // The settings change itself starts a sync, which is the one that asks.
      api.testing.answer(undefined, 'Write to This File');
      await config().update(
        'envSync.targets',
        [{ file: 'broker-env/tracked.env' }, { file: 'broker-env/new.env' }],
        vscode.ConfigurationTarget.Global,
      );
      const outcomes = await run<EnvSyncOutcome[]>('c2m.syncEnv');
      assert.equal(outcomes?.[0]?.result, 'declined');
      assert.ok(outcomes?.[1]?.result === 'written' || outcomes?.[1]?.result === 'unchanged', JSON.stringify(outcomes));
      assert.equal(read('broker-env/tracked.env'), 'A=1\n', 'a declined file is left alone');
      assert.equal(
        readEnvVariable(read('broker-env/new.env') ?? '', 'C2M_ACCESS_TOKEN'),
        await api.testing.getShortTermToken(PROFILE),
      );
      assert.equal(api.testing.pendingAnswers(), 0);

      // Next refresh: the allowed file is rewritten without asking again, the declined one is not asked again.
      const refreshed = await run<{ fingerprint: string }>('c2m.refreshShortTermToken', PROFILE);
      assert.ok(refreshed);
      await eventually(() => {
        const value = readEnvVariable(read('broker-env/new.env') ?? '', 'C2M_ACCESS_TOKEN');
        return value && tokenFingerprint(value) === refreshed.fingerprint ? true : undefined;
      }, 'new.env rewritten after the refresh without a prompt');
      assert.equal(read('broker-env/tracked.env'), 'A=1\n');
      await config().update('envSync.enabled', false, vscode.ConfigurationTarget.Global);
    });

    it('Restricted Mode: nothing is written, not even into a git-ignored file, and nobody is asked', async () => {
      // The harness trusts its workspace (--disable-workspace-trust): the untrusted answer is given to the same class.
      const asked: string[] = [];
      const sync = scriptedSync(['broker-env/restricted/.env'], 'ignored', ['Write to This File'], asked, {
        trusted: false,
      });
      try {
        assert.ok(tokenOf(api, PROFILE, 'short')?.status === 'valid', 'a token a trusted sync would write');
        assert.deepEqual(
          (await sync.sync()).map((o) => o.result),
          ['restricted'],
        );
        assert.equal(read('broker-env/restricted/.env'), undefined);
        assert.deepEqual(asked, []);
      } finally {
        sync.dispose();
      }
    });

    /** An EnvSync and EnvWriter of their own, with scripted answers to "write to this file?" and a scripted git answer. */
    function scriptedSync(
      targets: string[],
      ignored: 'ignored' | 'not_ignored' | 'unknown',
      answers: (string | undefined)[],
      asked: string[],
      options: { trusted?: boolean; hooks?: ReplaceHooks } = {},
    ): EnvSync {
      const asker = {
        confirm: async (_message: string, detail: string) => (asked.push(detail), answers.shift()),
      } as unknown as Asker;
      const log = { info: () => undefined, warn: () => undefined } as unknown as Log;
      const notifier = { info: () => undefined, warn: () => undefined };
      const state = new Map<string, unknown>();
      const globalState = {
        get: (k: string, d?: unknown) => state.get(k) ?? d,
        update: async (k: string, v: unknown) => void state.set(k, v),
        keys: () => [...state.keys()],
      } as unknown as vscode.Memento;
      const isTrusted = () => options.trusted ?? true;
      const writer = new EnvWriter({
        asker,
        log,
        notifier,
        globalState,
        isIgnored: async () => ignored,
        isTrusted,
        known: () => api.testing.engine.tokens(),
        profileName: (id) => id,
        hooks: options.hooks,
      });
      return new EnvSync({
        tokens: api.testing.engine,
        writer,
        asker,
        log,
        notifier,
        globalState,
        isTrusted,
        settings: () => ({ enabled: true, targets: targets.map((file) => ({ file, variable: 'C2M_ACCESS_TOKEN' })) }),
      });
    }
    const ownSync = (
      targets: string[],
      ignored: 'ignored' | 'not_ignored' | 'unknown',
      answers: (string | undefined)[],
      asked: string[],
      hooks?: ReplaceHooks,
    ): EnvSync => scriptedSync(targets, ignored, answers, asked, { hooks });

    it('never writes through a symlink, nor into a linked folder outside the workspace, even when git ignores it', async () => {
      const outside = fs.mkdtempSync(path.join(path.dirname(root()), 'c2m-outside-'));
      try {
        fs.writeFileSync(path.join(outside, 'target.env'), 'A=1\n');
        fs.mkdirSync(path.join(root(), 'broker-env', 'links'), { recursive: true });
        fs.symlinkSync(path.join(outside, 'target.env'), path.join(root(), 'broker-env', 'links', '.env'));
        fs.symlinkSync(outside, path.join(root(), 'broker-env', 'linked-dir'));
        const asked: string[] = [];
        const sync = ownSync(['broker-env/links/.env', 'broker-env/linked-dir/.env'], 'ignored', [], asked);
        try {
          assert.deepEqual(
            (await sync.sync()).map((o) => o.result),
            ['symlink', 'outside_workspace'],
          );
        } finally {
          sync.dispose();
        }
        assert.equal(
          fs.readFileSync(path.join(outside, 'target.env'), 'utf8'),
          'A=1\n',
          'the link target is untouched',
        );
        assert.equal(fs.existsSync(path.join(outside, '.env')), false, 'nothing created in the linked folder');
        assert.deepEqual(asked, []);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('asks when git cannot say whether it ignores the file (no git, no repository), and declined writes nothing', async () => {
      const asked: string[] = [];
      const sync = ownSync(['broker-env/unknown/.env'], 'unknown', [undefined], asked);
      try {
        assert.deepEqual(
          (await sync.sync()).map((o) => o.result),
          ['declined'],
        );
      } finally {
        sync.dispose();
      }
      assert.equal(asked.length, 1);
      assert.match(asked[0] ?? '', /could not tell/);
      assert.equal(read('broker-env/unknown/.env'), undefined);
    });

    it('a write that failed is tried again on the next sync (the token is recorded as written only after the write)', async () => {
      let failNext = true;
      const sync = ownSync(['broker-env/retry/.env'], 'ignored', [], [], {
        beforeCommit: async () => {
          if (!failNext) return;
          failNext = false;
          throw new Error('disk full');
        },
      });
      try {
        assert.deepEqual(
          (await sync.sync()).map((o) => o.result),
          ['failed'],
        );
        assert.equal(read('broker-env/retry/.env'), undefined);
        assert.deepEqual(
          (await sync.sync()).map((o) => o.result),
          ['written'],
        );
      } finally {
        sync.dispose();
      }
      assert.equal(
        readEnvVariable(read('broker-env/retry/.env') ?? '', 'C2M_ACCESS_TOKEN'),
        await api.testing.getShortTermToken(PROFILE),
      );
    });
  });

  describe('terminal environment', () => {
    /** Starts a real shell in an integrated terminal that writes $C2M_ACCESS_TOKEN to a file, and reads it back. */
    async function tokenInNewTerminal(name: string): Promise<string> {
      const out = path.join(root(), 'broker-env', `${name}.out`);
      fs.rmSync(out, { force: true });
      const terminal = vscode.window.createTerminal({
        name,
        shellPath: '/bin/sh',
        shellArgs: ['-c', `printf '%s' "$C2M_ACCESS_TOKEN" > '${out}.part' && mv '${out}.part' '${out}'`],
      });
      try {
        return await eventually(
          () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined),
          `terminal ${name} to write its environment`,
        );
      } finally {
        terminal.dispose();
      }
    }

    it('is off by default; when opted in, new terminals get the current short-term token, replaced on refresh', async () => {
      assert.equal(await api.testing.terminalTokenFingerprint(), undefined);
      assert.equal(await tokenInNewTerminal('c2m-off'), '');

      await config().update('terminal.injectToken', true, vscode.ConfigurationTarget.Global);
      const current = tokenOf(api, PROFILE, 'short');
      assert.ok(current);
      assert.equal(
        await eventually(
          async () => (await api.testing.terminalTokenFingerprint()) ?? undefined,
          'the collection to be filled',
        ),
        current.fingerprint,
      );
      const first = await tokenInNewTerminal('c2m-on');
      assert.equal(tokenFingerprint(first), current.fingerprint);
      assert.equal(await protectedStatus(sandbox, first), 200);

      const refreshed = await run<{ fingerprint: string }>('c2m.refreshShortTermToken', PROFILE);
      assert.ok(refreshed);
      await eventually(
        async () => ((await api.testing.terminalTokenFingerprint()) === refreshed.fingerprint ? true : undefined),
        'the collection to follow the refresh',
      );
      assert.equal(tokenFingerprint(await tokenInNewTerminal('c2m-refreshed')), refreshed.fingerprint);

      await config().update('terminal.injectToken', false, vscode.ConfigurationTarget.Global);
      await eventually(
        async () => ((await api.testing.terminalTokenFingerprint()) === undefined ? true : undefined),
        'the collection to be emptied',
      );
      assert.equal(await tokenInNewTerminal('c2m-off-again'), '');
    });
  });

  describe('workspace leak scan', () => {
    let short: string;
    let long: string;
    const expired = forgedJwt({ jti: 'tok_st_foreignexpired1', exp: 1_000_000_000 });
    const unknown = forgedJwt({ jti: 'tok_st_foreignunknown1', exp: 4_000_000_000 });

    const byFile = (result: LeakScanResult | undefined, relative: string): LeakFinding[] =>
      (result?.findings ?? []).filter((f) => vscode.Uri.parse(f.uri).fsPath === path.join(root(), relative));

    before(async () => {
      short = await api.testing.getShortTermToken(PROFILE);
      long = await api.testing.engine.getTokenValue(PROFILE, 'long');
      write('leaks/request.http', `### jobs\nGET {{$dotenv C2M_BASE_URL}}/jobs\nAuthorization: Bearer ${short}\n`);
      write('leaks/creds.txt', `long-lived, pasted by mistake:\n  key = ${long}\n`);
      write('leaks/old.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${expired}\n`);
      write('leaks/foreign.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${unknown}\n`);
      // Not searched: git ignores it, search.exclude and files.exclude exclude the others.
      write('ignored/secret.http', `Authorization: Bearer ${short}\n`);
      write('excluded/secret.http', `Authorization: Bearer ${short}\n`);
      write('hidden/secret.http', `Authorization: Bearer ${short}\n`);
      await vscode.workspace
        .getConfiguration('search')
        .update('exclude', { '**/excluded': true }, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace
        .getConfiguration('files')
        .update('exclude', { '**/hidden': true }, vscode.ConfigurationTarget.Workspace);
    });

    it('finds known tokens by fingerprint and JWT-shaped strings, with status, skipping ignored and excluded files', async () => {
      const result = await run<LeakScanResult>('c2m.scanWorkspace');
      assert.ok(result, 'the scan ran');
      const summary = (relative: string) =>
        byFile(result, relative).map((f) => [f.status, f.profileId ?? null, f.range.start.line]);
      assert.deepEqual(summary('leaks/request.http'), [['active', PROFILE, 2]]);
      assert.deepEqual(summary('leaks/creds.txt'), [['long-term', PROFILE, 1]]);
      assert.deepEqual(summary('leaks/old.http'), [['expired', null, 1]]);
      assert.deepEqual(summary('leaks/foreign.http'), [['unknown', null, 1]]);
      for (const skipped of ['ignored/secret.http', 'excluded/secret.http', 'hidden/secret.http']) {
        assert.deepEqual(summary(skipped), [], `${skipped} must not be searched`);
      }
      assert.equal(byFile(result, 'leaks/request.http')[0]?.tokenId, claims(short).jti);
      // No value in what the scan hands around (it crossed the LSP connection).
      const serialised = JSON.stringify(result);
      for (const value of [short, long, expired, unknown]) assert.ok(!serialised.includes(value));
    });

    it('revoke: the long-term token found in a file is revoked (with its short-term token), and the view says so', async () => {
      const before = await run<LeakScanResult>('c2m.scanWorkspace');
      const finding = byFile(before, 'leaks/creds.txt')[0];
      assert.ok(finding);
      // Asked in a modal, as from the view's menu (a node proves no click): the user says yes.
      api.testing.answer('Revoke');
      assert.ok(await run('c2m.leak.revoke', api.testing.leakNode(finding)));
      assert.equal(api.testing.pendingAnswers(), 0, 'the revoke was asked');
      assert.equal(tokenOf(api, PROFILE, 'long')?.status, 'revoked');
      assert.equal(await protectedStatus(sandbox, short), 401);
      const after = await run<LeakScanResult>('c2m.scanWorkspace');
      assert.deepEqual(
        byFile(after, 'leaks/creds.txt').map((f) => f.status),
        ['revoked'],
      );
      assert.deepEqual(
        byFile(after, 'leaks/request.http').map((f) => f.status),
        ['revoked'],
      );
      assert.ok(await run('c2m.issueLongTermToken', PROFILE), 'signed in again for the next tests');
    });

    it('a finding shows its token as it is now, without a new scan: rotated away, then revoked from the Tokens view', async () => {
      const shortNow = await api.testing.getShortTermToken(PROFILE);
      const longNow = await api.testing.engine.getTokenValue(PROFILE, 'long');
      write('leaks/follow.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${shortNow}\n`);
      write('leaks/follow.txt', `key = ${longNow}\n`);
      const drawn = (relative: string): string[] =>
        api.testing
          .leakView()
          .findings.filter((f) => vscode.Uri.parse(f.uri).fsPath === path.join(root(), relative))
          .map((f) => f.description.split(' · ')[0] ?? '');
      try {
        await run('c2m.scanWorkspace');
        assert.deepEqual([drawn('leaks/follow.http'), drawn('leaks/follow.txt')], [['active'], ['long-term']]);
        // Rotated: the old long-term token is revoked at the server, and the short-term token made from it with it.
        // `run` answers Rotate's question as the click in the view does: a second answer here would be left over
        // for the next question (the next test's Replace).
        assert.ok(await run('c2m.rotateLongTermToken', PROFILE));
        assert.equal(api.testing.pendingAnswers(), 0, 'no answer left over');
        await until(
          api,
          () => drawn('leaks/follow.txt')[0] === 'revoked' && drawn('leaks/follow.http')[0] === 'revoked',
          `the rotated-away tokens shown revoked: ${JSON.stringify([drawn('leaks/follow.http'), drawn('leaks/follow.txt')])}`,
        );
        // A fresh short-term token, found, then revoked from the Tokens view: the finding says so.
        const fresh = await api.testing.getShortTermToken(PROFILE);
        write('leaks/follow.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${fresh}\n`);
        await run('c2m.scanWorkspace');
        assert.deepEqual(drawn('leaks/follow.http'), ['active']);
        assert.equal(await run('c2m.revokeToken', api.testing.tokenNode(PROFILE, 'short')), 'short');
        await until(api, () => drawn('leaks/follow.http')[0] === 'revoked', 'the revoked token shown revoked');
        assert.equal(await protectedStatus(sandbox, fresh), 401);
      } finally {
        fs.rmSync(path.join(root(), 'leaks', 'follow.http'), { force: true });
        fs.rmSync(path.join(root(), 'leaks', 'follow.txt'), { force: true });
      }
    });

    it('replace: the revoked literal becomes a fresh short-term token that gets 200', async () => {
      const scan = await run<LeakScanResult>('c2m.scanWorkspace');
      const finding = byFile(scan, 'leaks/request.http')[0];
      assert.equal(finding?.status, 'revoked');
      api.testing.answer('Replace');
      assert.ok(await run('c2m.leak.replace', api.testing.leakNode(finding)));
      assert.equal(api.testing.pendingAnswers(), 0, 'the replace was asked');
      const fresh = await api.testing.getShortTermToken(PROFILE);
      assert.match(
        read('leaks/request.http') ?? '',
        new RegExp(`Authorization: Bearer ${fresh.replace(/[.-]/g, '\\$&')}\\n`),
      );
      assert.equal(await protectedStatus(sandbox, fresh), 200);
      const after = await run<LeakScanResult>('c2m.scanWorkspace');
      assert.deepEqual(
        byFile(after, 'leaks/request.http').map((f) => f.status),
        ['active'],
      );
    });

    it('move to .env: the literal goes to the git-ignored .env next to it and the file references it', async () => {
      const scan = await run<LeakScanResult>('c2m.scanWorkspace');
      const finding = byFile(scan, 'leaks/foreign.http')[0];
      assert.ok(finding);
      assert.ok(await run('c2m.leak.moveToEnv', api.testing.leakNode(finding)));
      assert.equal(
        read('leaks/foreign.http'),
        'GET http://example.invalid/jobs\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\n',
      );
      assert.equal(readEnvVariable(read('leaks/.env') ?? '', 'C2M_ACCESS_TOKEN'), unknown);
      const after = await run<LeakScanResult>('c2m.scanWorkspace');
      assert.deepEqual(byFile(after, 'leaks/foreign.http'), []);
      assert.deepEqual(byFile(after, 'leaks/.env'), [], 'the .env is git-ignored, so not a leak');
    });

    it('revoke is not offered for a token of ours that a refresh replaced: the command explains and revokes nothing', async () => {
      const old = await api.testing.getShortTermToken(PROFILE);
      write('leaks/stale.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${old}\n`);
      assert.ok(await run('c2m.refreshShortTermToken', PROFILE));
      const scan = await run<LeakScanResult>('c2m.scanWorkspace');
      const finding = byFile(scan, 'leaks/stale.http')[0];
      assert.equal(finding?.profileId, PROFILE, 'still recognised as ours');
      assert.equal(await run('c2m.leak.revoke', api.testing.leakNode(finding)), false);
      assert.equal(tokenOf(api, PROFILE, 'long')?.status, 'valid', 'nothing else was revoked');
      assert.equal(await protectedStatus(sandbox, await api.testing.getShortTermToken(PROFILE)), 200);
      fs.rmSync(path.join(root(), 'leaks', 'stale.http'));
    });

    it('replace in a file with unsaved edits: the token is replaced in the editor, the unrelated edits are not saved', async () => {
      const foreign = forgedJwt({ jti: 'tok_st_foreigndirty1', exp: 4_000_000_000 });
      write('leaks/dirty.http', `GET http://example.invalid/jobs\nAuthorization: Bearer ${foreign}\n`);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root(), 'leaks', 'dirty.http')));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), '# not saved yet\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.isDirty);
      try {
        const scan = await run<LeakScanResult>('c2m.scanWorkspace');
        const finding = byFile(scan, 'leaks/dirty.http')[0];
        assert.ok(finding);
        // The scan read the file on disk: the finding's line there is the same line in the editor plus one.
        api.testing.answer('Replace');
        assert.ok(
          await run(
            'c2m.leak.replace',
            api.testing.leakNode({
              ...finding,
              range: {
                start: { line: finding.range.start.line + 1, character: finding.range.start.character },
                end: { line: finding.range.end.line + 1, character: finding.range.end.character },
              },
            }),
          ),
        );
        assert.ok(doc.isDirty, 'still dirty: nothing was saved');
        assert.ok(!doc.getText().includes(foreign), 'replaced in the editor');
        assert.ok(doc.getText().startsWith('# not saved yet\n'));
        assert.equal(
          read('leaks/dirty.http'),
          `GET http://example.invalid/jobs\nAuthorization: Bearer ${foreign}\n`,
          'the file on disk is untouched',
        );
      } finally {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        fs.rmSync(path.join(root(), 'leaks', 'dirty.http'), { force: true });
      }
    });
  });

  describe('authentication provider', () => {
    let consumer: Consumer;

    /**
     * What clicking the consumer's "Sign in with C2M API to use …" entries runs: VS Code creates the session and allows
     * the extension. (Entry ids are numbered by VS Code and reused once answered, so every one there is clicked.)
     */
    async function signInFromAccountsMenu(): Promise<void> {
      const entries = async (): Promise<string[]> =>
        (await vscode.commands.getCommands(true)).filter((c) => c.startsWith(`c2m:${CONSUMER_ID}:signIn`));
      for (const id of await eventually(
        async () => ((await entries()).length > 0 ? entries() : undefined),
        'a sign-in entry',
      )) {
        await vscode.commands.executeCommand(id).then(undefined, () => undefined);
      }
    }

    before(async () => {
      const extension = vscode.extensions.getExtension<Consumer>(CONSUMER_ID);
      assert.ok(extension, `${CONSUMER_ID} is loaded as a second extension under development`);
      consumer = await extension.activate();
    });

    it('another extension asks, the user signs in for it in the Accounts menu, and it gets a narrowed session that gets 200', async () => {
      // Not yet allowed: a quiet ask finds no session (none was created, so no token is exchanged for it) and puts
      // "Sign in with C2M API to use …" in the Accounts menu. (The modal of createIfNone is refused by VS Code itself
      // while extension tests run, so the menu path is the one tested.)
      const before = exchangesOf(sandbox);
      assert.equal(await consumer.getSession(['jobs:read'], { createIfNone: false }), undefined);
      assert.equal(exchangesOf(sandbox), before, 'asking without consent exchanged nothing');
      // What clicking that menu entry runs: VS Code creates the session and allows the extension.
      await signInFromAccountsMenu();
      const session = await eventually(
        () => consumer.getSession(['jobs:read'], { silent: true }),
        'access granted through the Accounts menu',
      );
      // Allowed now: createIfNone gets the session without asking again.
      assert.equal((await consumer.getSession(['jobs:read'], { createIfNone: true }))?.account.id, PROFILE);
      assert.equal(session.account.id, PROFILE);
      assert.equal(session.account.label, LABEL);
      assert.deepEqual([...session.scopes], ['jobs:read']);
      assert.equal(claims(session.accessToken).scope, 'jobs:read');
      assert.equal(await protectedStatus(sandbox, session.accessToken), 200);
      // Asked again: no prompt now (the extension was allowed), a token still valid.
      const again = await consumer.getSession(['jobs:read'], { silent: true });
      assert.equal(again?.account.id, PROFILE);
      assert.equal(await protectedStatus(sandbox, again?.accessToken ?? ''), 200);
      // Its own scopes: asked for (and agreed to) once more, then the profile's short-term token.
      assert.equal(await consumer.getSession([], { createIfNone: false }), undefined);
      await signInFromAccountsMenu();
      const full = await eventually(() => consumer.getSession([], { silent: true }), 'the session of its own scopes');
      assert.equal(full?.accessToken, await api.testing.getShortTermToken(PROFILE));
      assert.ok(
        (await consumer.accounts()).some((a) => a.id === PROFILE && a.label === LABEL),
        'listed among the accounts',
      );
    });

    it('tells consumers when sessions change (refresh), and signing out of the account revokes its tokens', async () => {
      const seen = consumer.sessionChanges();
      assert.ok(await run('c2m.refreshShortTermToken', PROFILE));
      await eventually(
        () => (consumer.sessionChanges() > seen ? true : undefined),
        'onDidChangeSessions after a refresh',
      );
      const long = tokenOf(api, PROFILE, 'long');
      assert.ok(long && long.status !== 'revoked');
      const value = await api.testing.getShortTermToken(PROFILE);
      // What the Accounts menu's "Sign Out" runs (its confirmation is accepted by the runner).
      await vscode.commands.executeCommand('_signOutOfAccount', { providerId: 'c2m', accountLabel: LABEL });
      await eventually(
        () => (sandbox.isRevoked(long.tokenId) ? true : undefined),
        'the long-term token revoked at the server',
      );
      assert.equal(await protectedStatus(sandbox, value), 401);
      assert.equal(await consumer.getSession(['jobs:read'], { silent: true }), undefined, 'no session after sign-out');
    });
  });
});
