// The rows of the reliability table, one per case. Tests prove a row by starting their title with `[id]` (see
// test/support/reliability/ledger.ts); a row no test ran is printed as "not run", never silently dropped.

export interface Case {
  id: string;
  section: string;
  text: string;
  /** Where the row can be proved at all: the in-host rows need the code-server harness. */
  host?: true;
}

export const CASES: readonly Case[] = [
  { id: 'N1', section: 'Network', text: 'DNS failure / refused connection while 50 callers wait' },
  { id: 'N2', section: 'Network', text: '60 s stall: request times out, language server stays responsive' },
  { id: 'N3', section: 'Network', text: 'captive portal HTML, 204/200 instead of 201, empty or 10 MB body, __proto__' },
  { id: 'N4', section: 'Network', text: '5xx on the exchange: <= 3 tries, backoff with jitter, old token kept' },
  { id: 'N5', section: 'Network', text: '400 whose details echo the request: code and message only' },
  { id: 'N6', section: 'Network', text: '401 on the exchange: one re-read, <= 2 requests, then re-issue' },
  { id: 'N7', section: 'Network', text: 'rotation whose 201 is lost after the sandbox issued it' },
  {
    id: 'N8',
    section: 'Network',
    text: 'rotation cancelled while the server holds its 201: the late token is stored, the old one revoked',
  },
  { id: 'R1', section: 'Rate limits', text: '429 Retry-After: 120 while 50 callers wait' },
  { id: 'R2', section: 'Rate limits', text: 'Retry-After as HTTP-date, past date, -5, abc, 1e9' },
  { id: 'R3', section: 'Rate limits', text: '429 on an OTP issue: no retry, new code asked' },
  { id: 'C1', section: 'Concurrency', text: '1,000 simultaneous getShortTermToken calls at the refresh point' },
  { id: 'C2', section: 'Concurrency', text: 'revoke while a refresh is in flight' },
  { id: 'W1', section: 'Two windows', text: 'both windows reach the refresh point together' },
  { id: 'W2', section: 'Two windows', text: 'one window rotates, the other picks it up' },
  { id: 'W3', section: 'Two windows', text: "one window signs out during the other's refresh" },
  { id: 'W4', section: 'Two windows', text: '100 quick writes: no write-back loop' },
  { id: 'W5', section: 'Two windows', text: "one window revokes the long-term token during the other's refresh" },
  { id: 'W6', section: 'Two windows', text: 'both windows rotate the long-term token at once' },
  { id: 'K1', section: 'Clock', text: 'local clock 10 min ahead of / behind the server' },
  { id: 'K2', section: 'Clock', text: 'expires_in 60: no refresh loop' },
  { id: 'K3', section: 'Clock', text: 'after a long sleep the first use refreshes' },
  { id: 'D1', section: 'Redirects', text: 'token POSTs answered 302/303/307/308 to another loopback server' },
  { id: 'D2', section: 'Redirects', text: 'bearer request redirected to another port or scheme' },
  { id: 'D3', section: 'Redirects', text: "redirects refused by the extension host's fetch", host: true },
  { id: 'H1', section: 'Hostile files', text: '60 MB .env' },
  { id: 'H2', section: 'Hostile files', text: '15 MB single line of eyJ... without dots' },
  { id: 'H3', section: 'Hostile files', text: '100k JWT-like strings' },
  { id: 'H4', section: 'Hostile files', text: 'bad base64' },
  { id: 'H5', section: 'Hostile files', text: '5-part JWE' },
  { id: 'H6', section: 'Hostile files', text: 'alg: none' },
  { id: 'H7', section: 'Hostile files', text: 'exp as a string or 1e309' },
  { id: 'H8', section: 'Hostile files', text: 'BOM' },
  { id: 'H9', section: 'Hostile files', text: 'UTF-16' },
  { id: 'H10', section: 'Hostile files', text: 'NUL bytes' },
  { id: 'H11', section: 'Hostile files', text: 'CRLF' },
  { id: 'U1', section: 'Hostile files', text: 'untrusted workspace pointing the base URL elsewhere', host: true },
  {
    id: 'S1',
    section: 'Secrets',
    text: 'canaries through every flow and failure (engine, API client, language server)',
  },
  {
    id: 'S2',
    section: 'Secrets',
    text: 'canaries in user data, output, logs, settings, state DBs, notices, LS command line/env',
    host: true,
  },
  {
    id: 'A1',
    section: 'Attacks',
    text: 'another extension: exported API, c2m.lsp.*/c2m.* with chosen args, getSession without consent',
    host: true,
  },
  {
    id: 'A2',
    section: 'Attacks',
    text: '<c2m:token> outside the accepted completion; edits while the token is fetched',
    host: true,
  },
  {
    id: 'A3',
    section: 'Attacks',
    text: 'code-server of npm start / the harness: rebound Host+Origin or no password gets no WebSocket',
  },
  {
    id: 'A4',
    section: 'Attacks',
    text: 'hostile page vs the sandbox: no-cors POST, rebound Host, Origin header, JSON without Content-Type',
  },
  {
    id: 'A5',
    section: 'Attacks',
    text: 'workspace settings pick the .env sync file, variable and profile: confirmed once, safe names only',
    host: true,
  },
  {
    id: 'A6',
    section: 'Attacks',
    text: 'tokens glued to a word (Bearer%20eyJ…, tok_eyJ…, -lt_…) redacted before the language server',
  },
  {
    id: 'A7',
    section: 'Attacks',
    text: 'same-origin path change of the base URL: nothing stored is sent there until moved',
  },
  {
    id: 'A8',
    section: 'Attacks',
    text: "another extension's own shown/active document: completion, placeholder edit, insert with the item's id",
    host: true,
  },
  {
    id: 'A9',
    section: 'Attacks',
    text: 'another extension runs Replace (quick fix, lens) on a forged JWT and on a revoked token of ours',
    host: true,
  },
  {
    id: 'A10',
    section: 'Attacks',
    text: 'another extension runs the Revoke quick fix: asked in a modal dialog naming the token',
    host: true,
  },
  {
    id: 'A11',
    section: 'Attacks',
    text: 'held values (opaque token, %2E dots, client secret URL/JSON/base64) redacted before the language server',
  },
];
