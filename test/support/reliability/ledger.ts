// What the reliability tests actually did, for the table: each test notes the faults it injected, the bad inputs
// it tried, the secrets it found and the tokens it lost, as it goes. Entries are kept in memory (the reporter reads
// them in the same process) and, when C2M_RELIABILITY_LEDGER names a file, appended to it as JSON lines, so the
// in-host suite (another process) lands in the same table. No vscode import: both sides use this file.
import * as fs from 'node:fs';

export const LEDGER_ENV = 'C2M_RELIABILITY_LEDGER';

/** Table rows are case ids from cases.ts; a test proves one by starting its title with `[id]`. */
export const TAG = /^\[([A-Z]\d+[a-z]?)\]/;

export interface Counters {
  faults: number;
  badInputs: number;
  secretsFound: number;
  tokensLost: number;
}

export type LedgerEntry =
  | ({ type: 'note'; caseId: string; did: string; where: string } & Counters)
  | { type: 'outcome'; caseId: string; title: string; state: 'passed' | 'failed' | 'pending'; where: string };

const entries: LedgerEntry[] = [];

function write(entry: LedgerEntry): void {
  entries.push(entry);
  const file = process.env[LEDGER_ENV];
  if (file) fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Where the test runs: 'node' (mocha), or 'vscode' when the vscode module is there (extension host). */
let where = 'node';
export function runningIn(place: string): void {
  where = place;
}

/** Case id of a test title, or undefined when the title carries no tag. */
export function caseOf(title: string): string | undefined {
  return TAG.exec(title.trim())?.[1];
}

/**
 * One note per case per test: what was done, and the counters it adds. Call the returned functions as the test goes;
 * counts are written when `done()` is called (tests call it before their final assertions, so a failed assertion
 * still shows what was tried).
 */
export function note(caseId: string, did: string): Note {
  const counts: Counters = { faults: 0, badInputs: 0, secretsFound: 0, tokensLost: 0 };
  let written = false;
  const self: Note = {
    fault: (n = 1) => ((counts.faults += n), self),
    badInput: (n = 1) => ((counts.badInputs += n), self),
    secretsFound: (n) => ((counts.secretsFound += n), self),
    tokensLost: (n) => ((counts.tokensLost += n), self),
    done: () => {
      if (written) return;
      written = true;
      write({ type: 'note', caseId, did, where, ...counts });
    },
  };
  return self;
}

export interface Note {
  fault(n?: number): Note;
  badInput(n?: number): Note;
  secretsFound(n: number): Note;
  tokensLost(n: number): Note;
  done(): void;
}

/** Records how a tagged test ended (the mocha reporter does this for the node side; the in-host suite via a hook). */
export function outcome(title: string, state: 'passed' | 'failed' | 'pending'): void {
  const caseId = caseOf(title);
  if (caseId) write({ type: 'outcome', caseId, title, state, where });
}

/** Entries of this process, plus those another process appended to the ledger file. */
export function readLedger(file = process.env[LEDGER_ENV]): LedgerEntry[] {
  if (!file) return [...entries];
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LedgerEntry);
}
