// Scenario 3: in the demo .http file, "Authorization: " completes to a fresh short-term token.
import { insertTokenByCompletion, sandboxWithLiveToken } from './lib/flows.mjs';

export const title = 'complete "Authorization: " in demo.http with a fresh short-term token';

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
  await insertTokenByCompletion(s);
}
