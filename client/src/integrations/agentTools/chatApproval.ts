// Whether a workspace's settings (a repository's .vscode/settings.json) can make VS Code run a tool without showing
// its confirmation, which is what the request tool's consent rests on. VS Code skips the confirmation of every tool
// when (as of 1.139, LanguageModelToolsService.shouldAutoConfirm and the chat input's permission level):
// - chat.tools.global.autoApprove is true, or an object naming the tool: read with workspace values; VS Code warns
//   once per installation, and never again after one yes, in any workspace;
// - a chat session runs at the level chat.permissions.default names (autoApprove, autopilot): new sessions start there
//   with no warning (the warning comes only when the level is picked in the chat input);
// - chat.defaultConfiguration's approvals (assisted, allowAll) or mode (autopilot) for agent-host sessions.
// All three may be set by a workspace. The same values in the user's own settings are the user's choice and stay so:
// then VS Code stops asking because the user said so. Pure and vscode-free: the settings come in.

/** What VS Code's inspect() gives for a key: only the workspace's own values matter here. */
export interface WorkspaceValues {
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type InspectChat = (key: string) => WorkspaceValues | undefined;

const ELEVATED_LEVELS = new Set(['autoApprove', 'autopilot']);
const AUTO_APPROVALS = new Set(['assisted', 'allowAll', 'autoApprove']);

function workspaceValues(inspected: WorkspaceValues | undefined): unknown[] {
  return [inspected?.workspaceValue, inspected?.workspaceFolderValue].filter((v) => v !== undefined);
}

/**
 * The setting (its full key) by which the workspace lets the chat run `toolName` unconfirmed, or undefined.
 * `inspect` takes keys of the `chat` section.
 */
export function workspaceAutoApproval(inspect: InspectChat, toolName: string): string | undefined {
  const global = workspaceValues(inspect('tools.global.autoApprove'));
  if (
    global.some(
      (v) =>
        v === true ||
        (typeof v === 'object' &&
          v !== null &&
          Object.prototype.hasOwnProperty.call(v, toolName) &&
          v[toolName as keyof typeof v] === true),
    )
  )
    return 'chat.tools.global.autoApprove';
  if (workspaceValues(inspect('permissions.default')).some((v) => typeof v === 'string' && ELEVATED_LEVELS.has(v)))
    return 'chat.permissions.default';
  const defaults = workspaceValues(inspect('defaultConfiguration')).map((v) =>
    typeof v === 'object' && v !== null ? (v as { approvals?: unknown; mode?: unknown }) : {},
  );
  if (
    defaults.some(
      ({ approvals, mode }) => (typeof approvals === 'string' && AUTO_APPROVALS.has(approvals)) || mode === 'autopilot',
    )
  )
    return 'chat.defaultConfiguration';
  return undefined;
}
