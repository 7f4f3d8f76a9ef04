// Which settings of a workspace switch VS Code's confirmation of the request tool off: only the workspace's own values
// count (the user's are the user's choice), and each of the three ways VS Code knows is caught.
import { strict as assert } from 'node:assert';
import { workspaceAutoApproval, type WorkspaceValues } from '../../client/src/integrations/agentTools/chatApproval';

const TOOL = 'c2m_authenticatedRequest';

/** `chat` settings as inspect() gives them: key -> where the value was set. */
function inspectOf(values: Record<string, WorkspaceValues & { globalValue?: unknown }>) {
  return (key: string): WorkspaceValues | undefined => values[key];
}

describe('agent tools: workspace settings that turn the chat confirmation off', () => {
  it('nothing set, or only in User settings: undefined (VS Code asks, or the user chose that it does not)', () => {
    assert.equal(workspaceAutoApproval(inspectOf({}), TOOL), undefined);
    assert.equal(
      workspaceAutoApproval(
        inspectOf({
          'tools.global.autoApprove': { globalValue: true },
          'permissions.default': { globalValue: 'autopilot' },
          defaultConfiguration: { globalValue: { approvals: 'allowAll' } },
        }),
        TOOL,
      ),
      undefined,
    );
  });

  it('chat.tools.global.autoApprove from the workspace or a folder: true, or an object naming the tool', () => {
    for (const values of [
      { workspaceValue: true },
      { workspaceFolderValue: true },
      { workspaceValue: { [TOOL]: true } },
    ]) {
      assert.equal(
        workspaceAutoApproval(inspectOf({ 'tools.global.autoApprove': values }), TOOL),
        'chat.tools.global.autoApprove',
        JSON.stringify(values),
      );
    }
    for (const values of [
      { workspaceValue: false },
      { workspaceValue: { other_tool: true } },
      { workspaceValue: { [TOOL]: 'yes' } },
      { workspaceValue: Object.create({ [TOOL]: true }) as object },
    ]) {
      assert.equal(
        workspaceAutoApproval(inspectOf({ 'tools.global.autoApprove': values }), TOOL),
        undefined,
        JSON.stringify(values),
      );
    }
  });

  it('chat.permissions.default autoApprove or autopilot, chat.defaultConfiguration approvals other than manual or mode autopilot', () => {
    for (const level of ['autoApprove', 'autopilot'])
      assert.equal(
        workspaceAutoApproval(inspectOf({ 'permissions.default': { workspaceValue: level } }), TOOL),
        'chat.permissions.default',
      );
    assert.equal(
      workspaceAutoApproval(inspectOf({ 'permissions.default': { workspaceValue: 'default' } }), TOOL),
      undefined,
    );
    for (const approvals of ['assisted', 'allowAll'])
      assert.equal(
        workspaceAutoApproval(inspectOf({ defaultConfiguration: { workspaceFolderValue: { approvals } } }), TOOL),
        'chat.defaultConfiguration',
      );
    assert.equal(
      workspaceAutoApproval(
        inspectOf({ defaultConfiguration: { workspaceValue: { approvals: 'manual', mode: 'autopilot' } } }),
        TOOL,
      ),
      'chat.defaultConfiguration',
    );
    assert.equal(
      workspaceAutoApproval(
        inspectOf({ defaultConfiguration: { workspaceValue: { approvals: 'manual', mode: 'plan' } } }),
        TOOL,
      ),
      undefined,
    );
  });
});
