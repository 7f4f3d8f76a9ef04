// Full collections around a big document's arrival or departure (bench figure 5).
//
// Opening a 5 MB file leaves more than its own size again in garbage: the JSON-RPC message decoded to a string (a
// large-object-space string only a full collection frees) and the parse's temporaries. V8 gives that back only when
// its memory reducer notices the process went quiet (8 s or more later, and not always), so a server that just opened
// the file sat on about 7 MB it no longer used. The server knows better than V8's heuristics when such a burst
// happens, so it collects twice:
// - before it builds the model of a big text: the transport's pieces of the message are dead by then. Collected
//   after the model instead, they had been promoted among its long-lived objects, and the old-generation pages they
//   left half empty stayed resident (about 3 MB over VS Code's IPC transport, which builds the message from 64 kB
//   strings);
// - right after the message is handled: the parse's temporaries, or the text a close or a replacement dropped.
// Each costs 5-10 ms (measured on the 5.4 MB bench file), once per big document, against an open that already
// parses megabytes; small documents and ordinary typing never trigger either. It is safe: a collection only frees what
// nothing references.
//
// `gc` exists only when the process runs with --expose-gc (SERVER_EXEC_ARGV in client/src/lsp/serverProcess.ts);
// in-process tests and other hosts have none and nothing happens.

/** A message that carries or releases at least this many UTF-16 units of document text triggers the collection. */
export const BIG_TEXT_CHARS = 1_000_000;

/**
 * V8's `gc` extension, called without arguments: a full, precise mark-compact (about 7 ms after opening a 5 MB file).
 * Node 20's V8 collects nothing when given an options object ({ type: 'major' } and friends): measured, not used.
 */
export type GcFunction = () => void;

export interface HeapRelief {
  /** Call before building the model of a text of `chars` units that a message brought: collects now if big. */
  before(chars: number): void;
  /** Call after handling a message that carried or released `chars` units of document text. */
  handled(chars: number): void;
}

export function heapRelief(
  gc: GcFunction | undefined = (globalThis as { gc?: GcFunction }).gc,
  later: (callback: () => void) => void = (callback) => void setImmediate(callback),
): HeapRelief {
  let pending = false;
  return {
    before(chars) {
      if (gc !== undefined && chars >= BIG_TEXT_CHARS) gc();
    },
    handled(chars) {
      if (gc === undefined || chars < BIG_TEXT_CHARS || pending) return;
      pending = true;
      // After the current message's handler has returned, so its locals (the message, the old text) are garbage too.
      later(() => {
        pending = false;
        gc();
      });
    },
  };
}
