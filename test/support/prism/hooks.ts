// Root hooks of the unit and reliability runs (their mocharc "require" this): at the very end, stop the shared
// `prism proxy` of the viaContract() suites and print what it validated. Nothing happens when no such suite ran.
import { stopSharedContractProxy } from './proxy';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await stopSharedContractProxy();
  },
};
