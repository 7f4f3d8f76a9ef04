// The env files a request file's `{{$dotenv}}` reads, found and read the way REST Client does: from the request
// file's folder upward, the first folder holding `.env.<environment>` or `.env` wins (`.env.<environment>` first), and
// the whole of that file is used. The server reads them itself (their values never cross the connection), keeps
// token values only as stand-ins, through a cache the client's c2m/requestContext clears when an env file changes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { redactTokens } from '@shared/tokens/redactTokens';
import { readBounded } from '../boundedRead';
import { dotenvValues } from '../parse/dotenvValues';

/** An env file larger than this is not read (a real one is a few hundred bytes). */
const MAX_ENV_BYTES = 1024 * 1024;

export interface EnvFileReader {
  /** Whether a file exists at this path. */
  exists(fsPath: string): Promise<boolean>;
  /** Its variables, or undefined (missing, too large, unreadable). */
  read(fsPath: string): Promise<ReadonlyMap<string, string> | undefined>;
}

/** Reads the disk, each path once until clear(). */
export class EnvFileCache implements EnvFileReader {
  private readonly stats = new Map<string, Promise<boolean>>();
  private readonly files = new Map<string, Promise<ReadonlyMap<string, string> | undefined>>();

  clear(): void {
    this.stats.clear();
    this.files.clear();
  }

  exists(fsPath: string): Promise<boolean> {
    let answer = this.stats.get(fsPath);
    if (!answer) {
      answer = fs.stat(fsPath).then(
        (s) => s.isFile(),
        () => false,
      );
      this.stats.set(fsPath, answer);
    }
    return answer;
  }

  read(fsPath: string): Promise<ReadonlyMap<string, string> | undefined> {
    let answer = this.files.get(fsPath);
    if (!answer) {
      answer = (async () => {
        const read = readBounded(fsPath, MAX_ENV_BYTES);
        if (!('bytes' in read)) return undefined;
        // Kept as stand-ins (same length, the fingerprint inside): the server recognises the tokens, holds no value.
        return dotenvValues(redactTokens(read.bytes.toString('utf8')));
      })().catch(() => undefined);
      this.files.set(fsPath, answer);
    }
    return answer;
  }
}

/** REST Client's name for "No Environment": no `.env.<name>` is looked for then (no file is named after it). */
const NO_ENVIRONMENT = 'c0cfe680-4fcd-4b71-a4ba-8cfaee57680a';

/**
 * The env file REST Client reads `{{$dotenv}}` from for a request file in `dir` with `environment` selected (null: none),
 * or undefined when there is none. Like REST Client, the root folder itself is not looked in.
 */
export async function restClientEnvFile(
  dir: string,
  environment: string | null,
  files: EnvFileReader,
): Promise<string | undefined> {
  const name = environment ?? NO_ENVIRONMENT;
  let folder = path.resolve(dir);
  for (let depth = 0; depth < 64; depth++) {
    if (folder === path.parse(folder).root) return undefined;
    // `.env.<name>` only for a name that is one file name (a name with a separator would point elsewhere).
    const own =
      name && !/[\\/]/.test(name) && name !== '.' && name !== '..' ? path.join(folder, `.env.${name}`) : undefined;
    if (own && (await files.exists(own))) return own;
    const plain = path.join(folder, '.env');
    if (await files.exists(plain)) return plain;
    folder = path.dirname(folder);
  }
  return undefined;
}
