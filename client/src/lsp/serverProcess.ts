// How the language server's Node process is started: shared by the language client and the benchmark, so the bench
// measures the process that ships.

/**
 * V8 flags for a long-lived editor helper that holds one big string and a parse model, and works in short bursts
 * (bench figure 5: resident memory with a 5.4 MB request file open, above the idle server):
 *
 * - `--max-semi-space-size=1`: a 1 MB young generation (2 MB with both halves; V8's default grows to 16 MB or more).
 *   Analysing a file allocates in bursts and a grown young generation stays resident afterwards; scavenges of a small
 *   one are as cheap, there are just more of them. 2 MB here before: 2 MB more resident after an open.
 * - `--expose-gc`: lets the server collect around a message that brought or dropped a big document
 *   (server/src/heapRelief.ts): the decoded message and the parse's temporaries would otherwise stay resident until
 *   V8's memory reducer notices the quiet, seconds later or not at all. Only the server's own bundle runs in this
 *   process, so exposing `gc` to it gives no one else anything.
 * - `--no-concurrent-recompilation`: optimizing compiles run on the main thread instead of V8's worker threads. Each
 *   worker thread that compiles gets its own glibc malloc arena, and the compiler's scratch memory freed there is kept
 *   by the arena: about 4-5 MB resident after the first big analysis, for good. The compiles themselves are the same.
 */
export const SERVER_EXEC_ARGV: readonly string[] = [
  '--max-semi-space-size=1',
  '--expose-gc',
  '--no-concurrent-recompilation',
];
