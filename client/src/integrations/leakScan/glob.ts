// files.exclude / search.exclude patterns as VS Code reads them (relative to the workspace folder: `**`, `*`, `?`,
// `{a,b}`, `[…]`), for the streamed listing: a path is excluded when the pattern matches it or one of its folders,
// so an excluded folder is never walked into.

function toRegExpSource(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      if (atSegmentStart && slashAfter) {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += `\\${glob[++i]}`;
    } else out += c.replace(/[.+^$()|\]\\/]/g, '\\$&');
  }
  return out + ')'.repeat(braces);
}

/** A test for paths relative to the folder (`/`-separated): true when the path or one of its folders matches. */
export function excludeMatcher(patterns: readonly string[]): (relative: string) => boolean {
  if (patterns.length === 0) return () => false;
  const re = new RegExp(
    `^(?:${patterns.map((p) => toRegExpSource(p.replace(/^\.\//, '').replace(/\/+$/, ''))).join('|')})$`,
  );
  return (relative) => {
    if (re.test(relative)) return true;
    for (let at = relative.indexOf('/'); at !== -1; at = relative.indexOf('/', at + 1))
      if (re.test(relative.slice(0, at))) return true;
    return false;
  };
}
