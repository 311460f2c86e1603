/** Where slow builds are kept between runs, outside the repository: `$XDG_CACHE_HOME/customer-agent/<part>`. */
import os from 'node:os';
import path from 'node:path';

export function cacheDir(part: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'customer-agent', part);
}
