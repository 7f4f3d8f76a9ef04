// Streams a file another process appends to (the in-host mocha log) to a callback as it grows.
import fs from 'node:fs';

/**
 * @param {string} file
 * @param {(text: string) => void} onText
 * @returns {() => void} stops following, after delivering whatever is left
 */
export function followFile(file, onText) {
  let offset = 0;
  let stopped = false;
  const readNew = () => {
    let size;
    try {
      size = fs.statSync(file).size;
    } catch {
      return; // not created yet
    }
    if (size < offset) offset = 0; // truncated: a new run started
    if (size === offset) return;
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      offset = size;
      onText(buffer.toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  };
  // fs.watchFile polls stat: works whether or not the file exists yet, and across truncation.
  fs.watchFile(file, { interval: 200 }, readNew);
  return () => {
    if (stopped) return;
    stopped = true;
    fs.unwatchFile(file, readNew);
    readNew();
  };
}
