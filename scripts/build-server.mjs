// Bundles the server and CLI into dist/parc.mjs with esbuild. One file loads in half the time of
// hundreds of ESM modules (start-up is measured in bench/). Native addons, packages that read
// their own files at run time, and heavy libraries loaded on demand (exceljs, pdfkit, the mail libraries)
// stay external. Type-checking is tsc's job (npm run typecheck).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const options = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: [
    'better-sqlite3',
    '@node-rs/argon2',
    'pg-native',
    '@fastify/swagger-ui',
    'pdfkit',
    'exceljs',
    'nodemailer',
    'imapflow',
    'mailparser',
  ],
  // Bundled CommonJS dependencies call require(); give them one in the ESM output.
  banner: {
    js: "import { createRequire as __parcRequire } from 'node:module'; const require = __parcRequire(import.meta.url);",
  },
};

export async function buildServer() {
  await build({
    entryPoints: [path.join(root, 'src/cli/index.ts')],
    outfile: path.join(root, 'dist/parc.mjs'),
    ...options,
  });
  // The inventory parser's worker thread, loaded by the bundle from next to it.
  await build({
    entryPoints: [path.join(root, 'src/server/modules/inventory/parse.worker.ts')],
    outfile: path.join(root, 'dist/inventory-parse-worker.mjs'),
    ...options,
  });
  // The security event blocks' encoder, likewise.
  await build({
    entryPoints: [path.join(root, 'src/server/modules/security/block.worker.ts')],
    outfile: path.join(root, 'dist/security-block-worker.mjs'),
    ...options,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
