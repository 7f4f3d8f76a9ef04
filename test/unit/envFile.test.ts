// The pure .env reader and rewrite behind the .env writer, checked against dotenv.parse (the reader httpYac uses),
// and the scope arithmetic behind narrowed tokens.
import { strict as assert } from 'node:assert';
import * as dotenv from 'dotenv';
import fc from 'fast-check';
import { EnvValueError, quoteEnvValue, readEnv, readEnvVariable, setEnvVariable } from '../../client/src/core/envFile';
import { coveredBy, normaliseScopes, sameScopes } from '../../client/src/core/scopeNarrowing';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_';
const NAME = 'C2M_ACCESS_TOKEN';

describe('envFile: setEnvVariable', () => {
  it('rewrites the variable in place and leaves every other line, comment and blank line as it was', () => {
    const before =
      '# C2M demo\nC2M_BASE_URL=http://127.0.0.1:1/v1\n\n# the token, kept by the extension\nC2M_ACCESS_TOKEN=old\nOTHER="a b" # note\n';
    const after = setEnvVariable(before, NAME, JWT);
    assert.equal(after, before.replace('C2M_ACCESS_TOKEN=old', `C2M_ACCESS_TOKEN=${JWT}`));
    assert.equal(readEnvVariable(after, NAME), JWT);
    assert.equal(readEnvVariable(after, 'OTHER'), 'a b');
  });

  it('keeps CRLF line endings, the export prefix, the blanks around = and a missing final newline', () => {
    const before = 'A=1\r\nexport C2M_ACCESS_TOKEN = "x"\r\nB=2';
    assert.equal(setEnvVariable(before, NAME, JWT), `A=1\r\nexport C2M_ACCESS_TOKEN = ${JWT}\r\nB=2`);
  });

  it('a file with CR-only line breaks: the line is rewritten in place, not a second one appended', () => {
    assert.equal(setEnvVariable('A=1\rC2M_ACCESS_TOKEN=old\rB=2\r', NAME, 'new'), 'A=1\rC2M_ACCESS_TOKEN=new\rB=2\r');
    assert.equal(setEnvVariable('A=1\r', NAME, 'new'), 'A=1\rC2M_ACCESS_TOKEN=new\r');
  });

  it('a multi-line quoted value is replaced whole: nothing of it is left behind', () => {
    const before = 'C2M_ACCESS_TOKEN="line1\nline2"\nB=2\n';
    const after = setEnvVariable(before, NAME, 'new');
    assert.equal(after, 'C2M_ACCESS_TOKEN=new\nB=2\n');
    assert.deepEqual(dotenv.parse(after), { C2M_ACCESS_TOKEN: 'new', B: '2' });
  });

  it('keeps the comment after the value on the token line', () => {
    assert.equal(
      setEnvVariable('C2M_ACCESS_TOKEN=old # refreshed by C2M\nB=2\n', NAME, 'new'),
      'C2M_ACCESS_TOKEN=new # refreshed by C2M\nB=2\n',
    );
    assert.equal(
      setEnvVariable('C2M_ACCESS_TOKEN=  # empty for now\n', NAME, 'new'),
      'C2M_ACCESS_TOKEN=new  # empty for now\n',
    );
    assert.equal(setEnvVariable("C2M_ACCESS_TOKEN='old'#c\n", NAME, 'new'), 'C2M_ACCESS_TOKEN=new#c\n');
  });

  it('keeps a byte order mark', () => {
    assert.equal(setEnvVariable('\uFEFFC2M_ACCESS_TOKEN=old\n', NAME, 'new'), '\uFEFFC2M_ACCESS_TOKEN=new\n');
    assert.equal(setEnvVariable('\uFEFF', NAME, 'v'), '\uFEFFC2M_ACCESS_TOKEN=v\n');
  });

  it("appends the variable when absent with the file's line break, keeping a missing final one missing", () => {
    assert.equal(setEnvVariable('A=1', 'T', 'v'), 'A=1\nT=v');
    assert.equal(setEnvVariable('A=1\r\n', 'T', 'v'), 'A=1\r\nT=v\r\n');
    assert.equal(setEnvVariable('A=1\r\nB=2', 'T', 'v'), 'A=1\r\nB=2\r\nT=v');
    assert.equal(setEnvVariable(undefined, 'T', 'v'), 'T=v\n');
    assert.equal(setEnvVariable('', 'T', 'v'), 'T=v\n');
  });

  it('rewrites every assignment of the name (readers differ on which one wins) and no look-alike', () => {
    const before = 'T=1\nT_OLD=2\n# T=3\nT=4\n';
    assert.equal(setEnvVariable(before, 'T', 'v'), 'T=v\nT_OLD=2\n# T=3\nT=v\n');
  });

  it('quotes values only when a reader would misread them, so that dotenv reads them back', () => {
    assert.equal(quoteEnvValue(JWT), JWT);
    assert.equal(quoteEnvValue('a b#c'), '"a b#c"');
    for (const value of [
      'a b#c',
      'say "hi"\n',
      'x "y" #z',
      "it's",
      'multi\nline',
      'back\\slash',
      'c:\\new',
      ' lead',
      'tail ',
      '',
    ]) {
      const text = setEnvVariable('', 'T', value);
      assert.equal(dotenv.parse(text).T, value, JSON.stringify(text));
      assert.equal(readEnvVariable(text, 'T'), value);
    }
    assert.throws(() => quoteEnvValue('"\'`\\'), EnvValueError);
  });

  it('refuses a name outside A-Z, 0-9 and _ (not starting with a digit)', () => {
    for (const name of ['A B', '1A', 'lower', 'A-B', 'A.B', '', 'A=B', 'A\nB']) {
      assert.throws(() => setEnvVariable('', name, 'v'), /not a valid environment variable name/, name);
    }
  });

  it('refuses a rewrite that would change how another line is read (an unclosed quote before the new line)', () => {
    // dotenv reads A as `"x` here; an appended double-quoted value would close A's quote and swallow the line.
    // dotenv reads A as `"x`; the appended `T='ab" #'` would close A's quote and be read as part of A.
    assert.equal(dotenv.parse('A="x\n').A, '"x');
    assert.equal(dotenv.parse('A="x\nT=\'ab" #\'').A, "x\nT='ab");
    assert.throws(() => setEnvVariable('A="x\n', 'T', 'ab" #'), EnvValueError);
  });
});

// ---- Properties over generated env files ---------------------------------------------------------------------

type Eol = '\n' | '\r\n' | '\r';
const chars = (alphabet: string, min = 0, max = 12): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const plain = chars('abcXYZ019_./:-+@', 1);
const inside = (quote: string): fc.Arbitrary<string> => chars(`ab #=:\\'"\`\n`.replace(quote, ''));
const comment = chars('ab #=:\'"`', 0, 10).map((t) => `#${t}`);

/** A value as written, with `\n` standing for the file's line break (put in by `lines`). */
const writtenValue = fc.oneof(
  plain,
  fc.constant(''),
  inside('"')
    .filter((t) => !t.endsWith('\\'))
    .map((t) => `"${t}"`),
  inside("'")
    .filter((t) => !t.endsWith('\\'))
    .map((t) => `'${t}'`),
  inside('`')
    .filter((t) => !t.endsWith('\\'))
    .map((t) => `\`${t}\``),
);
interface Line {
  text: string;
  note?: string;
}
const assignmentLine = (name: fc.Arbitrary<string>): fc.Arbitrary<Line> =>
  fc
    .tuple(
      fc.constantFrom('', 'export ', '  '),
      name,
      fc.constantFrom('=', ' = ', '= ', ': '),
      writtenValue,
      fc.option(comment, { nil: undefined }),
    )
    .filter(([, , sep, value]) => !(sep === ': ' && value === ''))
    .map(([prefix, n, sep, value, note]) => ({
      text: `${prefix}${n}${sep}${value}${note === undefined ? '' : ` ${note}`}`,
      note,
    }));
const assignment = (name: fc.Arbitrary<string>): fc.Arbitrary<string> => assignmentLine(name).map((l) => l.text);
const otherLine = fc.oneof(
  assignment(
    fc.constantFrom('A', 'B_2', 'OTHER', 'lower.case', 'dash-ed', 'C2M_ACCESS_TOKEN_OLD', 'X_C2M_ACCESS_TOKEN'),
  ),
  comment,
  chars(' \t', 0, 3),
  fc.constantFrom(`# ${NAME}=commented`, 'not an assignment'),
);

interface EnvCase {
  eol: Eol;
  bom: boolean;
  final: boolean;
  before: string[];
  token?: Line;
  after: string[];
}
const envCase: fc.Arbitrary<EnvCase> = fc.record({
  eol: fc.constantFrom<Eol>('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  final: fc.boolean(),
  before: fc.array(otherLine, { maxLength: 6 }),
  token: fc.option(assignmentLine(fc.constant(NAME)), { nil: undefined }),
  after: fc.array(otherLine, { maxLength: 6 }),
});

function render(c: EnvCase): { text: string; head: string; tail: string } {
  const join = (lines: string[]): string => lines.map((l) => l.replace(/\n/g, c.eol)).join(c.eol);
  const head = `${c.bom ? '\uFEFF' : ''}${join(c.before)}${c.before.length && c.token !== undefined ? c.eol : ''}`;
  const tail = c.token === undefined ? '' : `${c.after.length ? c.eol : ''}${join(c.after)}`;
  const text =
    c.token === undefined
      ? `${head}${c.before.length && c.after.length ? c.eol : ''}${join(c.after)}`
      : `${head}${c.token.text.replace(/\n/g, c.eol)}${tail}`;
  return {
    text: c.final && text.length > (c.bom ? 1 : 0) ? text + c.eol : text,
    head,
    tail: c.final ? tail + c.eol : tail,
  };
}

const newValue = fc
  .oneof(
    fc.constant(JWT),
    fc.string({ maxLength: 16 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    chars('ab "\'`#\\\n\r=', 0, 10),
  )
  .filter((v) => {
    try {
      quoteEnvValue(v);
      return true;
    } catch {
      return false;
    }
  });

/** Every variable but `name`, as dotenv reads them. */
function othersOf(text: string): Record<string, string> {
  const { [NAME]: _ignored, ...rest } = dotenv.parse(text);
  return rest;
}

describe('envFile: properties over generated env files (fast-check)', () => {
  it('reads every generated file as dotenv.parse does', () => {
    fc.assert(
      fc.property(envCase, (c) => {
        const { text } = render(c);
        assert.deepEqual({ ...readEnv(text) }, dotenv.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("every line but the token's is byte-identical after a rewrite, and the value reads back as written", () => {
    let runs = 0;
    let refused = 0;
    fc.assert(
      fc.property(envCase, newValue, (c, value) => {
        runs++;
        const { text, head, tail } = render(c);
        let after: string;
        try {
          after = setEnvVariable(text, NAME, value);
        } catch (error) {
          // Refused only when the file itself would be misread after it (the check the rewrite makes): nothing is lost.
          assert.ok(error instanceof EnvValueError, String(error));
          refused++;
          return;
        }
        if (c.token !== undefined && dotenv.parse(text)[NAME] !== undefined) {
          assert.ok(after.startsWith(head), 'the lines before the token line are untouched');
          assert.ok(after.endsWith(tail), 'the lines after the token line are untouched');
          const line = after.slice(head.length, after.length - tail.length);
          const note = c.token.note;
          if (note !== undefined)
            assert.ok(line.endsWith(note.replace(/\n/g, c.eol)), `the comment stays: ${JSON.stringify(line)}`);
          assert.ok(
            line.startsWith(/^\s*(?:export\s+)?C2M_ACCESS_TOKEN\s*[=:]/.exec(c.token.text)?.[0] ?? '?'),
            'the head stays',
          );
        } else {
          assert.ok(after.startsWith(text), 'appended: the file before it is untouched');
        }
        assert.equal(dotenv.parse(after)[NAME], value);
        assert.deepEqual(othersOf(after), othersOf(text));
        assert.equal(setEnvVariable(after, NAME, value), after, 'a second rewrite with the same value changes nothing');
      }),
      { numRuns: 1000 },
    );
    assert.ok(refused < runs / 20, `refused ${refused} of ${runs}: the property must test rewrites, not refusals`);
  });

  it('any value is either refused or written so that dotenv reads it back, whatever comment follows', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), chars('ab "\'`#\\\n\r=', 0, 10)), (value) => {
        let written: string;
        try {
          written = quoteEnvValue(value);
        } catch (error) {
          assert.ok(error instanceof EnvValueError);
          return;
        }
        for (const rest of ['', ' # note', '\nB=1'])
          assert.equal(dotenv.parse(`T=${written}${rest}`).T, value, JSON.stringify(written + rest));
      }),
      { numRuns: 300 },
    );
  });
});

describe('scopeNarrowing', () => {
  it('wildcards cover their area, * covers all, nothing else does', () => {
    assert.ok(coveredBy(['jobs:*'], 'jobs:read'));
    assert.ok(coveredBy(['*'], 'templates:write'));
    assert.ok(coveredBy(['jobs:read'], 'jobs:read'));
    assert.ok(!coveredBy(['jobs:*'], 'templates:read'));
    assert.ok(!coveredBy(['jobs:read'], 'jobs:write'));
    assert.ok(!coveredBy(['jobs:*'], 'jobsx:read'));
  });

  it('compares sets of scopes whatever their order and duplicates', () => {
    assert.deepEqual(normaliseScopes([' b ', 'a', 'b', '']), ['a', 'b']);
    assert.ok(sameScopes(['b', 'a'], ['a', 'b', 'a']));
    assert.ok(!sameScopes(['a'], ['a', 'b']));
  });
});
