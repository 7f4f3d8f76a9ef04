// The pure .env rewrite behind the .env sync, and the scope arithmetic behind narrowed tokens.
import { strict as assert } from 'node:assert';
import { quoteEnvValue, readEnvVariable, setEnvVariable } from '../../client/src/core/envFile';
import { coveredBy, normaliseScopes, sameScopes } from '../../client/src/core/scopeNarrowing';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_';

describe('envFile: setEnvVariable', () => {
  it('rewrites the variable in place and leaves every other line, comment and blank line as it was', () => {
    const before = '# C2M demo\nC2M_BASE_URL=http://127.0.0.1:1/v1\n\n# the token, kept by the extension\nC2M_ACCESS_TOKEN=old\nOTHER="a b" # note\n';
    const after = setEnvVariable(before, 'C2M_ACCESS_TOKEN', JWT);
    assert.equal(after, before.replace('C2M_ACCESS_TOKEN=old', `C2M_ACCESS_TOKEN=${JWT}`));
    assert.equal(readEnvVariable(after, 'C2M_ACCESS_TOKEN'), JWT);
    assert.equal(readEnvVariable(after, 'OTHER'), 'a b');
  });

  it('keeps CRLF line endings, the export prefix and a missing final newline', () => {
    const before = 'A=1\r\nexport C2M_ACCESS_TOKEN = "x"\r\nB=2';
    assert.equal(setEnvVariable(before, 'C2M_ACCESS_TOKEN', JWT), `A=1\r\nexport C2M_ACCESS_TOKEN=${JWT}\r\nB=2`);
  });

  it('appends the variable when absent (adding a line break first if needed) and creates a new file', () => {
    assert.equal(setEnvVariable('A=1', 'T', 'v'), 'A=1\nT=v\n');
    assert.equal(setEnvVariable('A=1\r\n', 'T', 'v'), 'A=1\r\nT=v\r\n');
    assert.equal(setEnvVariable(undefined, 'T', 'v'), 'T=v\n');
    assert.equal(setEnvVariable('', 'T', 'v'), 'T=v\n');
  });

  it('rewrites every assignment of the name (readers differ on which one wins) and no look-alike', () => {
    const before = 'T=1\nT_OLD=2\n# T=3\nT=4\n';
    assert.equal(setEnvVariable(before, 'T', 'v'), 'T=v\nT_OLD=2\n# T=3\nT=v\n');
  });

  it('quotes values only when a reader would misread them', () => {
    assert.equal(quoteEnvValue(JWT), JWT);
    assert.equal(quoteEnvValue('a b#c'), '"a b#c"');
    assert.equal(quoteEnvValue('say "hi"\n'), '"say \\"hi\\"\\n"');
    const text = setEnvVariable('', 'T', 'x "y" #z');
    assert.equal(readEnvVariable(text, 'T'), 'x "y" #z');
  });

  it('refuses a name that is not an environment variable name', () => {
    assert.throws(() => setEnvVariable('', 'A B', 'v'), /not a valid environment variable name/);
    assert.throws(() => setEnvVariable('', '1A', 'v'), /not a valid/);
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
