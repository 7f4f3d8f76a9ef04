// What vscode-languageclient asks of semver, and nothing more. Its node client checks, once at construction,
// `semver.satisfies(semver.parse(vscode.version), '^1.91.0')` (after clearing an insider prerelease tag); for that
// one check semver added 20 kB to dist/lsp.js, a twentieth of the whole language client. esbuild.mjs points the
// two semver modules it requires at parse.ts and satisfies.ts, which wrap these functions. The unit test
// (test/unit/lsp.semver.test.ts) holds them against real semver and against the range the installed client asks for.

/** The fields of semver's SemVer object the language client reads or writes. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: Array<string | number>;
  version: string;
}

// SemVer 2.0.0 (https://semver.org), with the leading `v` semver accepts; input capped at semver's 256 chars.
const VERSION =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** semver.parse for a string: the version, or null when it is not one. */
export function parseVersion(text: unknown): Version | null {
  if (typeof text !== 'string' || text.length > 256) return null;
  const match = VERSION.exec(text.trim());
  if (!match) return null;
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (![major, minor, patch].every(Number.isSafeInteger)) return null;
  const prerelease = match[4] === undefined ? [] : match[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major, minor, patch, prerelease, version: `${major}.${minor}.${patch}${prerelease.length ? `-${prerelease.join('.')}` : ''}` };
}

/**
 * semver.satisfies for a caret range `^M.m.p` with M >= 1: same major, at least m.p, and no prerelease (semver lets
 * a prerelease satisfy a range only through a comparator with that same prerelease, which this range has none of).
 * Any other range throws rather than answer wrongly: the language client would then fail loudly at start, and the
 * unit test fails first when an upgrade of vscode-languageclient changes its range.
 */
export function satisfiesCaret(version: Version | string, range: string): boolean {
  const wanted = /^\^([1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(range);
  if (!wanted) throw new Error(`Unsupported version range ${JSON.stringify(range)}: only ^major.minor.patch is implemented.`);
  const v = typeof version === 'string' ? parseVersion(version) : version;
  if (!v || v.prerelease.length > 0) return false;
  const [major, minor, patch] = [wanted[1], wanted[2], wanted[3]].map(Number) as [number, number, number];
  return v.major === major && (v.minor > minor || (v.minor === minor && v.patch >= patch));
}
