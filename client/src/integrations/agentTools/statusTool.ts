// The language-model tool that tells an agent which C2M profiles and tokens there are: ids, scopes, status, expiry,
// the active profile. Never a value: the report is built from metadata (statusReport.ts), and the text is redacted
// once more before it leaves. Reading sends nothing anywhere, so VS Code is not asked to confirm it.
import * as vscode from 'vscode';
import type { TokenService } from '../../core/tokenService';
import { redactForAgent } from './responseRedaction';
import { statusReport } from './statusReport';

export const STATUS_TOOL_NAME = 'c2m_tokenStatus';

export interface StatusToolDeps {
  tokens: Pick<TokenService, 'profiles' | 'tokens'>;
  held(): readonly string[];
  now(): number;
}

export class TokenStatusTool implements vscode.LanguageModelTool<Record<string, never>> {
  constructor(private readonly deps: StatusToolDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Reading C2M token status') };
  }

  invoke(): vscode.LanguageModelToolResult {
    const report = statusReport(this.deps.tokens.profiles(), this.deps.tokens.tokens(), this.deps.now());
    const text = redactForAgent(JSON.stringify(report, null, 2), this.deps.held());
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
  }
}
