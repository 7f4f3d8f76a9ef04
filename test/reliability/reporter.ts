// Mocha reporter of `npm run test:reliability`: the spec output, each tagged test's outcome written to the ledger,
// then the table just before mocha's usual "N passing / N failing" lines (CI reads those last).
// With C2M_RELIABILITY_LEDGER set, the runner (run.ts) prints the combined table instead, after the in-host part.
import Mocha from 'mocha';
import { LEDGER_ENV, outcome, readLedger } from '../support/reliability/ledger';
import { summarise } from './resultTable';

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class ReliabilityReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on(EVENT_TEST_PASS, (test) => outcome(test.title, 'passed'));
    runner.on(EVENT_TEST_FAIL, (test) => outcome(test.title, 'failed'));
    runner.on(EVENT_TEST_PENDING, (test) => outcome(test.title, 'pending'));
  }

  override epilogue(): void {
    if (!process.env[LEDGER_ENV])
      Mocha.reporters.Base.consoleLog(`\n${summarise(readLedger(), { hostRan: false }).text}`);
    super.epilogue();
  }
}

export = ReliabilityReporter;
