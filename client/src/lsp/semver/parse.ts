// Replaces `semver/functions/parse` in the bundles (esbuild.mjs): the same CommonJS shape, a function export.
import { parseVersion } from './version';

export = parseVersion;
