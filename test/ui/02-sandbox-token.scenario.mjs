// Scenario 2: "Try with Local Sandbox", issue a long-term token, watch the short-term one count down.
import { sandboxWithLiveToken } from './lib/flows.mjs';

export const title = 'try the local sandbox: profile, long-term token, live short-term countdown, status bar';

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
}
