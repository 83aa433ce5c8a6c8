/**
 * The tokens `evidence login` obtained, kept between runs in one file only the user can read
 * (mode 0600, in a 0700 directory): `<config dir>/evidence/tokens.json` (env-paths: on Linux
 * ~/.config/evidence, on macOS ~/Library/Preferences/evidence, on Windows %APPDATA%\evidence\Config),
 * or `$EVIDENCE_CONFIG_DIR/tokens.json`. Entries are keyed by issuer and client, so a sign-in to
 * the twin and one to the cloud live side by side. Written whole to a temporary file and renamed,
 * so a crash never leaves half a file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';

export const CachedTokensSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  accessToken: z.string(),
  idToken: z.string().optional(),
  refreshToken: z.string().optional(),
  /** When the access token expires, ms since the epoch; absent: the issuer did not say. */
  expiresAt: z.number().optional(),
  scope: z.string().optional(),
  savedAt: z.string(),
});
export type CachedTokens = z.infer<typeof CachedTokensSchema>;

const CacheFileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), CachedTokensSchema) });
type CacheFile = z.infer<typeof CacheFileSchema>;

/** The directory the CLI keeps its state in. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EVIDENCE_CONFIG_DIR || envPaths('evidence', { suffix: '' }).config;
}

/** One entry per issuer and client. */
export const cacheKeyOf = (issuer: string, clientId: string) => `${issuer} ${clientId}`;

export class TokenCache {
  readonly path: string;

  constructor(readonly dir: string = configDir()) {
    this.path = join(dir, 'tokens.json');
  }

  private read(): CacheFile {
    if (!existsSync(this.path)) return { version: 1, entries: {} };
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      // Unreadable: as if signed out; the next login writes a good file.
      return { version: 1, entries: {} };
    }
    const parsed = CacheFileSchema.safeParse(json);
    return parsed.success ? parsed.data : { version: 1, entries: {} };
  }

  private write(file: CacheFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    // The mode given at creation passes through the umask, and an existing file keeps its own.
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  get(issuer: string, clientId: string): CachedTokens | undefined {
    return this.read().entries[cacheKeyOf(issuer, clientId)];
  }

  put(tokens: CachedTokens): void {
    const file = this.read();
    file.entries[cacheKeyOf(tokens.issuer, tokens.clientId)] = tokens;
    this.write(file);
  }

  /** Forgets one sign-in; true when there was one. The file goes when it holds none. */
  delete(issuer: string, clientId: string): boolean {
    const file = this.read();
    const key = cacheKeyOf(issuer, clientId);
    if (!(key in file.entries)) return false;
    delete file.entries[key];
    if (Object.keys(file.entries).length === 0) rmSync(this.path, { force: true });
    else this.write(file);
    return true;
  }
}
