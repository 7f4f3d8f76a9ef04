// Registers the two language-model tools (declared in package.json's languageModelTools). Each registration is a
// disposable the caller owns; the tool objects are returned too, for the in-host tests of prepareInvocation.
import * as vscode from 'vscode';
import { AuthenticatedRequestTool, REQUEST_TOOL_NAME, type RequestToolDeps } from './requestTool';
import { STATUS_TOOL_NAME, TokenStatusTool, type StatusToolDeps } from './statusTool';

export interface AgentTools {
  status: TokenStatusTool;
  request: AuthenticatedRequestTool;
}

export function registerAgentTools(
  deps: StatusToolDeps & RequestToolDeps,
  own: (d: vscode.Disposable) => void,
): AgentTools | undefined {
  // A host without the language-model API (older or trimmed builds) simply has no agent tools.
  if (typeof vscode.lm?.registerTool !== 'function') return undefined;
  const tools: AgentTools = { status: new TokenStatusTool(deps), request: new AuthenticatedRequestTool(deps) };
  own(vscode.lm.registerTool(STATUS_TOOL_NAME, tools.status));
  own(vscode.lm.registerTool(REQUEST_TOOL_NAME, tools.request));
  return tools;
}
