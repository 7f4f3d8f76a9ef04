// How the language server's Node process is started: shared by the language client and the benchmark, so the bench
// measures the process that ships.

/**
 * A 2 MB young generation (V8's default grows to 16 MB or more): analysing a file allocates in short bursts, and a
 * large semi-space stays resident afterwards. Bench figure 5, just after analysing a 5.4 MB file: 43 MB above the idle
 * server without the flag, 27 MB with it.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];
