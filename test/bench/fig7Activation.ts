// Figure 7: activation inside real VS Code (code-server), from the extension's own measurement, read through the harness.
import type { BenchContext } from './context';
import type { Row } from './results';

export function figure7(_ctx: BenchContext): Row[] {
  return [{ figure: '7 activate() in VS Code', unit: 'ms', median: null, runs: 0, note: 'not measured: harness not wired yet' }];
}
