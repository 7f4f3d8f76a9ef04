// Figure 8: the token engine against the loopback sandbox: 1,000 concurrent short-term token requests -> 1 exchange,
// and the time from the refresh point to a stored fresh token.
import type { BenchContext } from './context';
import type { Row } from './results';

export function figure8(_ctx: BenchContext): Row[] {
  return [{ figure: '8 token engine', unit: 'ms', median: null, runs: 0, note: 'not measured: TokenEngine not written yet' }];
}
