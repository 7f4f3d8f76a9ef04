// The result ids of pulled diagnostics (LSP 3.17 textDocument/diagnostic), one per open document. A pull that brings
// the id of the last report, when the diagnostics came out the same, is answered "unchanged": the client keeps what it
// shows and nothing is re-rendered. Only the last report of each document is kept; a closed document forgets its own.
import {
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { sameDiagnostics } from './features/diagnostics';

export class DiagnosticResults {
  private readonly last = new Map<string, { resultId: string; items: Diagnostic[] }>();
  private counter = 0;

  /** The report for `items`: "unchanged" when the client already has exactly these under `previousResultId`. */
  report(uri: string, previousResultId: string | undefined, items: Diagnostic[]): DocumentDiagnosticReport {
    const last = this.last.get(uri);
    if (last && previousResultId === last.resultId && sameDiagnostics(last.items, items)) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
    }
    const resultId = String(++this.counter);
    this.last.set(uri, { resultId, items });
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}
