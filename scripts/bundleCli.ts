/**
 * `npm run build:bundle` (after tsc): `blockyard node`'s code, dist/cli/node.js with everything it
 * imports, packages included, as one CommonJS file dist/bundle/blockyard.cjs, and its manifest;
 * then the training run (scripts/trainCodeCache.ts) that writes V8's code cache beside it.
 * src/cli/nodeCommand.ts runs the bundle (src/cli/loadBundle.ts) when it is there and up to date.
 * The other commands are short-lived and load only their own modules: they stay modules.
 *
 * What stays out of the bundle, required from node_modules as before: better-sqlite3 (a native
 * addon), pino (its transports start workers from its own folder), @fastify/swagger and
 * @fastify/swagger-ui (their files are read from their folder; loaded at the first /docs only).
 * Worker threads (the verify workers, the miner) still start from dist/ (their own modules).
 *
 * Each file's `import.meta.url` becomes the URL of the file it was made from, relative to the
 * bundle (so dist/ can move), so that what the compiled code finds next to itself (package.json,
 * the workers, the WASM kernel, the dashboard) is found from the bundle too. Whitespace and
 * comments are left out: V8 keeps every script's text, and the comments' "≈" and "→" would make
 * the whole text two bytes a character.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, type BundleManifest, MANIFEST_FILE } from '../src/cli/loadBundle.js';

/** Packages loaded from node_modules at run time (see above). */
export const EXTERNAL = ['better-sqlite3', 'pino', '@fastify/swagger', '@fastify/swagger-ui'];

/**
 * Bundles `entry` (a compiled .js) into `outDir`/blockyard.cjs with its manifest, over whatever
 * was there; `root` is the folder whose node_modules the packages come from. Its manifest.
 */
export async function bundleEntry(entry: string, outDir: string, root: string) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, BUNDLE_FILE);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    minifyWhitespace: true,
    // import() of a package left out becomes require(): V8 drops a script's dynamic-import hook
    // when it comes from a code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING at the first /docs).
    supported: { 'dynamic-import': false },
    // NOTE: packages' "sideEffects" claims are not trusted. src/api/server.ts imports TypeBox's
    // Value with import(), so esbuild wraps TypeBox's modules to be initialised on demand; trusting
    // the package's list, it left out the call that fills `TypeRegistry`, still undefined when
    // src/api/schemas.ts registered a kind.
    ignoreAnnotations: true,
    // NOTE: the bundle runs in strict mode, as its ES modules did. Four CommonJS files in it do
    // not say "use strict" (fast-querystring's internals, ipaddr.js, dequal, set-cookie-parser):
    // read, none relies on sloppy mode.
    banner: {
      js: '"use strict";const __fileUrl=(p)=>require("node:url").pathToFileURL(require("node:path").join(__dirname,p)).href;',
    },
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'import-meta-url',
        setup(builder) {
          builder.onLoad({ filter: /\.m?js$/ }, (args) => {
            let text = readFileSync(args.path, 'utf8');
            if (!text.includes('import.meta.url')) return undefined;
            const path = relative(outDir, args.path);
            text = text.replaceAll('import.meta.url', `__fileUrl(${JSON.stringify(path)})`);
            // The build-time validators and serializers (src/api/precompiled/syncSchemas.ts) take
            // the `require` they load their runtime parts with (ajv's, fast-json-stringify's) as a
            // parameter; without it their require("…") is esbuild's to bundle, and so cached.
            if (path.endsWith(join('api', 'precompiled', 'syncSchemas.js')))
              text = text.replace(/function (make\d+)\(module, require\)/g, 'function $1(module)');
            return { contents: text, loader: 'js' };
          });
        },
      },
    ],
  });
  const own = Object.keys(result.metafile.inputs)
    .map((input) => resolve(root, input))
    .filter((path) => !/[/\\]node_modules[/\\](?!\.cache[/\\])/.test(path));
  // npm rewrites its hidden lockfile whenever it changes node_modules.
  const lockfile = join(root, 'node_modules', '.package-lock.json');
  const inputs = [...own, ...(statSync(lockfile, { throwIfNoEntry: false }) ? [lockfile] : [])];
  const manifest: BundleManifest = {
    id: createHash('sha256').update(readFileSync(outfile)).digest('hex').slice(0, 16),
    inputs: inputs.map((path) => {
      const stat = statSync(path);
      return [relative(outDir, path), stat.size, stat.mtimeMs] as const;
    }),
  };
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest)}\n`);
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = join(root, 'dist', 'bundle');
  const manifest = await bundleEntry(join(root, 'dist', 'cli', 'node.js'), outDir, root);
  const { trainCodeCache } = await import('./trainCodeCache.js');
  const trained = await trainCodeCache(root, manifest.id);
  process.stdout.write(
    `blockyard: bundled the CLI (${dirname(relative(root, join(outDir, BUNDLE_FILE)))}, ${manifest.inputs.length} files); code cache ${trained}\n`,
  );
}
