// httpyac's side of figure 5, in its own process: resident and heap memory held after parsing a file, above the
// process with httpyac loaded and idle. Run with --expose-gc. Usage: memoryWorker.ts <file>; prints JSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const file = process.argv[2] ?? '';
  const { cli, store } = createRequire(__filename)('httpyac') as typeof import('httpyac');
  cli.initFileProvider();
  await cli.initIOProvider();
  const text = readFileSync(file, 'utf8');
  const fileStore = new store.HttpFileStore();
  // Parse a tiny file first so lazily loaded parts of httpyac count as idle, not as the file's cost.
  await fileStore.parse(path.join(path.dirname(file), 'warm.http'), 'GET https://a.test\n', { workingDir: path.dirname(file), config: {} });
  const idle = settle();
  const httpFile = await fileStore.parse(file, text, { workingDir: path.dirname(file), config: {} });
  const held = settle();
  process.stdout.write(
    `${JSON.stringify({
      rssAbove: held.rss - idle.rss,
      heapAbove: held.heapUsed - idle.heapUsed,
      regions: httpFile.httpRegions.length,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exitCode = 1;
});
