// The language-model tool that sends one authenticated request for an agent: to the active profile's origin only
// (originGuard.ts), after VS Code's confirmation showing method and full URL, with a fresh short-term token the tool
// adds itself, no redirect followed, and the answer redacted (send.ts). The agent never sees a token: what it gets
// back went through the held-value and token-shape redaction.
// Where the workspace's settings switch VS Code's confirmation off (chatApproval.ts), the tool asks in a modal of its
// own before it spends the token: the consent must not be the repository's to give.
// In Restricted Mode the tool stays registered and refuses: the workspace's own files (instructions, prompts, .http
// files) may be steering the agent, and a cloned repository must not be able to spend the user's credentials. Staying
// registered lets the agent say why instead of finding no tool.
import * as vscode from 'vscode';
import type { TokenService } from '../../core/tokenService';
import { checkRequest, type AgentRequestInput, type CheckedRequest } from './originGuard';
import { workspaceAutoApproval, type InspectChat } from './chatApproval';
import { holdsAny, redactForAgent } from './responseRedaction';
import { sendAuthenticated, type FetchLike } from './send';

export const REQUEST_TOOL_NAME = 'c2m_authenticatedRequest';

/** The token the tool sends is valid for at least this long: the request is about to go. */
const MIN_VALIDITY_MS = 60_000;
/** Confirmed requests waiting for invoke(); prepareInvocation is not always followed by invoke, so few are kept. */
const MAX_PREPARED = 16;
/** How much of a request body the confirmation shows. */
const SHOWN_BODY_CHARS = 500;

export interface RequestToolDeps {
  tokens: Pick<TokenService, 'profiles' | 'getShortTermToken'>;
  /** Every value the extension holds (tokens, client secrets): masked in what the agent gets back. */
  held(): readonly string[];
  isTrusted(): boolean;
  /** Why a profile may not be used for network calls now (settings problem, workspace URL in Restricted Mode). */
  whyNoNetwork(profileId: string): string | undefined;
  fetch: FetchLike;
  log(line: string): void;
  /** The `chat` settings as VS Code's inspect() gives them (which of them the workspace set). */
  inspectChat: InspectChat;
  /** A modal question (what no extension and no setting can answer); resolves with the choice, or undefined. */
  confirm(message: string, detail: string, ...choices: string[]): Promise<string | undefined>;
}

interface Plan {
  profile: { id: string; name: string };
  request: CheckedRequest;
}

type Planned = { ok: true; plan: Plan } | { ok: false; reason: string };

const text = (value: string): vscode.LanguageModelToolResult =>
  new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);

/** What the confirmation promised, so invoke() sends exactly that (the active profile may change in between). */
const signatureOf = (plan: Plan): string => JSON.stringify([plan.profile.id, plan.request]);

export class AuthenticatedRequestTool implements vscode.LanguageModelTool<AgentRequestInput> {
  private readonly prepared = new Map<string, string>();

  constructor(private readonly deps: RequestToolDeps) {}

  /** The request `input` asks for, checked against the active profile, or why it is refused. */
  plan(input: AgentRequestInput): Planned {
    if (!this.deps.isTrusted()) {
      return {
        ok: false,
        reason: vscode.l10n.t(
          'this workspace is in Restricted Mode: authenticated requests are refused until you trust it',
        ),
      };
    }
    const profile = this.deps.tokens.profiles().find((p) => p.active);
    if (!profile) return { ok: false, reason: vscode.l10n.t('there is no active C2M profile') };
    const why = this.deps.whyNoNetwork(profile.id);
    if (why) return { ok: false, reason: why };
    const checked = checkRequest(profile.baseUrl, input ?? {});
    if (!checked.ok) return { ok: false, reason: checked.reason };
    return { ok: true, plan: { profile: { id: profile.id, name: profile.name }, request: checked.value } };
  }

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<AgentRequestInput>,
  ): vscode.PreparedToolInvocation {
    const planned = this.plan(options.input);
    // Refused: nothing will be sent, so there is nothing to confirm; invoke() says why.
    if (!planned.ok) return { invocationMessage: vscode.l10n.t('C2M: refusing the request ({0})', planned.reason) };
    const { profile, request } = planned.plan;
    this.remember(keyOf(options.input), signatureOf(planned.plan));
    return {
      invocationMessage: vscode.l10n.t('C2M: {0} {1}', request.method, request.url),
      confirmationMessages: confirmationOf(profile, request, this.deps.held()),
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<AgentRequestInput>,
    cancel: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const planned = this.plan(options.input);
    const key = keyOf(options.input);
    const promised = this.prepared.get(key);
    this.prepared.delete(key);
    if (!planned.ok) return text(`Refused, nothing was sent: ${planned.reason}.`);
    if (promised !== signatureOf(planned.plan)) {
      // VS Code calls prepareInvocation (and asks the user) before invoke; a request nobody was shown is not sent.
      return text(
        'Refused, nothing was sent: this request was not the one confirmed (the active profile or the request changed). Ask again.',
      );
    }
    const { profile, request } = planned.plan;
    const held = this.deps.held();
    const skippedBy = workspaceAutoApproval(this.deps.inspectChat, REQUEST_TOOL_NAME);
    if (skippedBy) {
      const send = vscode.l10n.t('Send');
      const answer = await this.deps.confirm(
        vscode.l10n.t('Send an authenticated request to {0}?', request.origin),
        vscode.l10n.t(
          "{0}\n\nThis workspace's settings ({1}) let the chat run tools without asking you, so C2M asks. {2}",
          requestText(request, held),
          skippedBy,
          whatTheToolDoes(profile),
        ),
        send,
      );
      if (answer !== send) {
        this.deps.log(`agent tool: ${request.method} ${request.url} not confirmed (the workspace sets ${skippedBy})`);
        return text('Refused, nothing was sent: the user did not confirm this request.');
      }
    }
    let token: string;
    try {
      token = (await this.deps.tokens.getShortTermToken(profile.id, MIN_VALIDITY_MS)).value;
    } catch (error) {
      const why = redactForAgent(error instanceof Error ? error.message : String(error), held);
      return text(
        `Not sent: no short-term token for profile "${profile.name}" (${why}). The user may need to issue a long-term token (C2M: Issue Long-Term Token).`,
      );
    }
    const abort = new AbortController();
    const sub = cancel.onCancellationRequested(() => abort.abort());
    try {
      const response = await sendAuthenticated(
        request,
        token,
        { fetch: this.deps.fetch, held: () => [token, ...this.deps.held()] },
        abort.signal,
      );
      this.deps.log(
        `agent tool: ${request.method} ${request.url} answered ${response.status}${response.redirect ? ' (redirect not followed)' : ''}`,
      );
      let out = JSON.stringify(response, null, 2);
      // The last check: nothing that leaves holds a value in any spelling (redaction is idempotent).
      const all = [token, ...this.deps.held()];
      if (holdsAny(out, all)) out = redactForAgent(out, all);
      return text(out);
    } catch (error) {
      const why = redactForAgent(error instanceof Error ? error.message : String(error), [token, ...held]);
      this.deps.log(`agent tool: ${request.method} ${request.url} failed: ${why}`);
      return text(`The request failed: ${why}.`);
    } finally {
      sub.dispose();
    }
  }

  private remember(key: string, signature: string): void {
    this.prepared.delete(key);
    this.prepared.set(key, signature);
    while (this.prepared.size > MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
  }
}

/** The input as a key: VS Code hands prepareInvocation and invoke the same input. */
function keyOf(input: AgentRequestInput): string {
  return JSON.stringify(input ?? {});
}

/** A fenced block longer than any run of backticks in `text`: what the agent wrote is shown as it is, never as markdown. */
function codeBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}http\n${text}\n${fence}\n`;
}

/** Text shown as itself inside markdown (a profile name is the user's text, not markup). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Method and full URL first, then the headers and the start of the body; held values redacted. */
function requestText(request: CheckedRequest, held: readonly string[]): string {
  const lines = [
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  if (request.body !== undefined)
    lines.push(
      '',
      request.body.length > SHOWN_BODY_CHARS ? `${request.body.slice(0, SHOWN_BODY_CHARS)}…` : request.body,
    );
  return redactForAgent(lines.join('\n'), held);
}

function whatTheToolDoes(profile: { id: string; name: string }): string {
  return vscode.l10n.t(
    'The extension adds a short-term token of profile "{0}" ({1}). Only this origin is allowed; redirects are not followed; the answer is shown to the agent with tokens redacted.',
    profile.name,
    profile.id,
  );
}

/** The request as a literal block; then what the tool does. */
function confirmationOf(
  profile: { id: string; name: string },
  request: CheckedRequest,
  held: readonly string[],
): vscode.LanguageModelToolConfirmationMessages {
  const message = new vscode.MarkdownString(codeBlock(requestText(request, held)));
  message.appendMarkdown(escapeMarkdown(whatTheToolDoes(profile)));
  return { title: vscode.l10n.t('Send an authenticated request to {0}?', request.origin), message };
}
