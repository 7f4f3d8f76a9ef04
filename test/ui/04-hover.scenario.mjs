// Scenario 4: hovering the inserted token shows its status, scopes and expiry, never its value.
import { cursorIntoToken, hoverText, insertTokenByCompletion, sandboxWithLiveToken } from './lib/flows.mjs';
import { until } from './lib/wait.mjs';

export const title = 'hover the token: status, scopes and expiry, value masked';

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
  const { token, line } = await insertTokenByCompletion(s);
  await s.step('hover the token: status, scopes and expiry show, the value masked', async () => {
    // Keyboard hover (Ctrl+K Ctrl+I) with the cursor in the token: no pointer position to get right.
    await cursorIntoToken(s, line);
    await s.page.keyboard.press('Control+K');
    await s.page.keyboard.press('Control+I');
    const text = await until(async () => hoverText(s.page), 'a hover on the token (language server)');
    for (const [what, pattern] of /** @type {const} */ ([
      ['status', /active|valid/i],
      ['scopes', /scope/i],
      ['expiry', /expire/i],
    ])) {
      if (!pattern.test(text)) throw new Error(`the hover does not show the ${what}: "${text.slice(0, 300)}"`);
    }
    if (text.includes(token)) throw new Error('the hover shows the whole token value');
  });
}
