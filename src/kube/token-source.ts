/**
 * Where a bearer token comes from: a fixed string, a file that kubelet rotates, or an exec
 * credential plugin (exec-credential.ts). Its own module so the connection and the plugin runner
 * both depend on it and not on each other.
 */
import { readFile } from 'node:fs/promises';
import { systemClock, type Clock } from '../core/clock.js';
import { ConfigError, errorMessage } from '../core/errors.js';

/** A bearer token, possibly from a file that rotates. */
export interface TokenSource {
  /** The current token, or undefined for anonymous access. */
  token(): Promise<string | undefined>;
  /** The apiserver answered 401: read the file (or run the plugin) again on the next request. */
  invalidate(): void;
}

/** How long a token read from a file is trusted before it is read again (client-go's figure). */
export const tokenFileMaxAgeMs = 60_000;

/** A token that never changes (or none). */
export function staticToken(token: string | undefined): TokenSource {
  return { token: async () => token, invalidate() {} };
}

/** A token read from `file`, read again when older than `maxAgeMs` or after a 401. */
export function fileToken(file: string, clock: Clock = systemClock, maxAgeMs = tokenFileMaxAgeMs): TokenSource {
  let cached: string | undefined;
  let readAt = -Infinity;
  return {
    async token() {
      if (clock.now() - readAt >= maxAgeMs) {
        try {
          cached = (await readFile(file, 'utf8')).trim();
          readAt = clock.now();
        } catch (err) {
          // Keep the old token if the file is briefly missing during kubelet's atomic swap.
          if (cached === undefined) throw new ConfigError(file, '', `cannot read token: ${errorMessage(err)}`, { cause: err });
        }
      }
      return cached;
    },
    invalidate() {
      readAt = -Infinity;
    },
  };
}
