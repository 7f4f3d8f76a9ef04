// Turns ledger entries into the printed table: one row per case (what was done, where, outcome) and the totals,
// summed from what the tests recorded. Markdown, so the same text reads in a terminal and in the closing note.
import { CASES } from './cases';
import type { Counters, LedgerEntry } from '../support/reliability/ledger';

export interface Summary {
  text: string;
  totals: Counters & { passed: number; failed: number; notRun: number };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

export function summarise(entries: readonly LedgerEntry[], opts: { hostRan: boolean }): Summary {
  const totals = { faults: 0, badInputs: 0, secretsFound: 0, tokensLost: 0, passed: 0, failed: 0, notRun: 0 };
  const lines = ['| Case | Where | What was done | Outcome |', '|---|---|---|---|'];
  for (const c of CASES) {
    const notes = entries.filter((e) => e.type === 'note' && e.caseId === c.id);
    const outcomes = entries.filter(
      (e): e is Extract<LedgerEntry, { type: 'outcome' }> => e.type === 'outcome' && e.caseId === c.id,
    );
    const passed = outcomes.filter((o) => o.state === 'passed').length;
    const failed = outcomes.filter((o) => o.state === 'failed').length;
    totals.passed += passed;
    totals.failed += failed;
    // Inputs tried and findings always count; faults count as survived only when every test of the case passed.
    for (const n of notes) {
      if (n.type !== 'note') continue;
      if (failed === 0) totals.faults += n.faults;
      totals.badInputs += n.badInputs;
      totals.secretsFound += n.secretsFound;
      totals.tokensLost += n.tokensLost;
    }
    const did = [...new Set(notes.map((n) => (n.type === 'note' ? n.did : '')))].filter(Boolean).join('; ');
    const where = [...new Set(outcomes.map((o) => o.where))].join(', ') || (c.host ? 'vscode' : 'node');
    let result: string;
    if (failed > 0) result = `FAIL (${failed} of ${passed + failed} tests)`;
    else if (passed > 0) result = `pass (${passed} test${passed > 1 ? 's' : ''})`;
    else {
      totals.notRun++;
      result = c.host && !opts.hostRan ? 'not run (needs the code-server harness)' : 'not run';
    }
    lines.push(`| ${c.id} ${cell(c.text)} | ${where} | ${cell(did || '-')} | ${result} |`);
  }
  lines.push(
    '',
    `Totals: faults survived ${totals.faults}, bad inputs tried ${totals.badInputs}, ` +
      `secrets found ${totals.secretsFound} (must be 0), tokens lost ${totals.tokensLost} (must be 0); ` +
      `${totals.passed} tests passed, ${totals.failed} failed, ${totals.notRun} cases not run.`,
  );
  return { text: lines.join('\n'), totals };
}
