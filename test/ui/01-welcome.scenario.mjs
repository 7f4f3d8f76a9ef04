// Scenario 1: a new user opens the C2M view and is offered the sandbox or a profile.
import { openViewWithWelcome } from './lib/flows.mjs';

export const title = 'open the C2M view: welcome content offers "Try with Local Sandbox" and "Add Profile"';

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await openViewWithWelcome(s);
}
