import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface UiAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Vite's content-hashed files under `assets/`: cached for a year, never revalidated. */
  immutable: boolean;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built admin UI (`dist/apps/ui`), read into memory once at boot: a few hundred kilobytes,
 * served without a file-system read per request. Missing when the UI was not built.
 */
export class UiAssets {
  private constructor(private readonly files: ReadonlyMap<string, UiAsset>) {}

  static load(directory: string): UiAssets {
    const files = new Map<string, UiAsset>();
    if (existsSync(join(directory, 'index.html'))) {
      for (const path of walk(directory)) {
        const name = relative(directory, path).split(sep).join('/');
        const body = readFileSync(path);
        files.set(name, {
          body,
          contentType: contentTypes[extname(name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          immutable: name.startsWith('assets/'),
        });
      }
    }
    return new UiAssets(files);
  }

  get built(): boolean {
    return this.files.has('index.html');
  }

  /**
   * The file for a path under `/ui/`; paths without a file extension are the single-page app's
   * own routes (`/ui/keys`), answered with `index.html`.
   */
  resolve(path: string): UiAsset | undefined {
    const name = path.replace(/^\/+/, '');
    const file = this.files.get(name);
    if (file) return file;
    if (name === '' || !/\.[a-z0-9]+$/i.test(name)) return this.files.get('index.html');
    return undefined;
  }
}

function walk(directory: string): string[] {
  return readdirSync(directory).filter((entry) => !entry.startsWith('.')).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
