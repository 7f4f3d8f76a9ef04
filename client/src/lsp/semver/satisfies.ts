// Replaces `semver/functions/satisfies` in the bundles (esbuild.mjs): the same CommonJS shape, a function export.
import { satisfiesCaret } from './version';

export = satisfiesCaret;
