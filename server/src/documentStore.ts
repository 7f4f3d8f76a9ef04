// The open documents the server analyses (.http/.rest and env files), keyed by uri, and nothing else: each is
// re-parsed incrementally on every change (analysis.ts). The store also tells heapRelief how much document text a
// message brought in or dropped, since only it sees the text arrive and leave.
import type {
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
} from 'vscode-languageserver/node';
import { AnalysedDocument, docKindOf } from './analysis';
import type { HeapRelief } from './heapRelief';

export class DocumentStore {
  private readonly documents = new Map<string, AnalysedDocument>();

  constructor(private readonly relief: HeapRelief) {}

  get(uri: string): AnalysedDocument | undefined {
    return this.documents.get(uri);
  }

  /** Opens a document of one of our kinds; other documents are not kept. */
  open({ textDocument: d }: DidOpenTextDocumentParams): void {
    const kind = docKindOf(d.uri, d.languageId);
    if (!kind) return;
    this.relief.before(d.text.length);
    this.documents.set(d.uri, AnalysedDocument.open(d.uri, d.version, d.text, kind));
    this.relief.handled(d.text.length);
  }

  change({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const doc = this.documents.get(textDocument.uri);
    if (!doc) return;
    // What the edit brought in, and what it dropped: measured on the text, since VS Code sends even "select all,
    // delete" as a ranged change.
    let brought = 0;
    for (const change of contentChanges) brought += change.text.length;
    const before = doc.document.getText().length;
    this.relief.before(brought);
    doc.update(contentChanges, textDocument.version);
    const dropped = before + brought - doc.document.getText().length;
    this.relief.handled(brought + dropped);
  }

  close({ textDocument }: DidCloseTextDocumentParams): void {
    this.relief.handled(this.documents.get(textDocument.uri)?.document.getText().length ?? 0);
    this.documents.delete(textDocument.uri);
  }
}
