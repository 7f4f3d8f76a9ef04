// Which environment REST Client has selected. REST Client keeps it in no setting and no API: it writes the picked item
// to environment.json in its own folder (`~/.rest-client`, or `$XDG_CONFIG_HOME/rest-client` when `~/.rest-client`
// does not exist), for all windows of the user at once. That file is read here, best effort: missing or empty means
// "No Environment" (what REST Client assumes then), anything unreadable means "not known". It is REST Client's
// internal file, not a contract: when its shape changes, the guard falls back to what can be read (the environment
// names of rest-client.environmentVariables). vscode-free: the paths and the environment come in.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** REST Client's name for "No Environment". */
export const REST_CLIENT_NO_ENVIRONMENT = 'c0cfe680-4fcd-4b71-a4ba-8cfaee57680a';

/** Where REST Client keeps environment.json for this home and environment. `rootExists`: whether `~/.rest-client` exists. */
export function restClientEnvironmentFile(
  home: string,
  env: Readonly<Record<string, string | undefined>>,
  rootExists: boolean,
): string {
  const root = path.join(home, '.rest-client');
  if (rootExists || env.XDG_CONFIG_HOME === undefined) return path.join(root, 'environment.json');
  return path.join(env.XDG_CONFIG_HOME, 'rest-client', 'environment.json');
}

/** The selected environment in environment.json's text: a name, null for none, undefined when the text is not understood. */
export function parseRestClientEnvironment(text: string | undefined): string | null | undefined {
  if (text === undefined || text.trim() === '') return null;
  let item: unknown;
  try {
    item = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (item === null) return null;
  const name = typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') return undefined;
  return name === REST_CLIENT_NO_ENVIRONMENT ? null : name;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** Reads the selected environment from disk (see above). */
export async function readRestClientEnvironment(
  home: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ file: string; environment: string | null | undefined }> {
  const file = restClientEnvironmentFile(home, env, await exists(path.join(home, '.rest-client')));
  let text: string | undefined;
  try {
    const stat = await fs.stat(file);
    // A picked item is a few dozen bytes; anything large is not REST Client's.
    if (stat.size > 64 * 1024) return { file, environment: undefined };
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { file, environment: undefined };
  }
  return { file, environment: parseRestClientEnvironment(text) };
}
