#!/usr/bin/env node
// Entry point of the `parc` command. In a clone, builds what is stale first (the server bundle with
// esbuild; the web app with Vite, for `serve`), so `npm start` and `npx parc` work after `npm install`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

function newestMtime(entries) {
  let newest = 0;
  const visit = (entry) => {
    if (!fs.existsSync(entry)) return;
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      return;
    }
    for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  for (const entry of entries) visit(entry);
  return newest;
}

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

function failed(label) {
  process.stderr.write(`parc: the ${label} build failed; run "npm install" and retry\n`);
  process.exit(1);
}

if (fs.existsSync(src)) {
  const bundle = path.join(dist, 'parc.mjs');
  const serverInputs = ['server', 'cli', 'shared'].map((d) => path.join(src, d));
  if (mtime(bundle) < newestMtime([...serverInputs, path.join(root, 'scripts/build-server.mjs')])) {
    process.stderr.write('parc: building the server…\n');
    try {
      const { buildServer } = await import(pathToFileURL(path.join(root, 'scripts/build-server.mjs')).href);
      await buildServer();
    } catch {
      failed('server');
    }
  }
  const webIndex = path.join(dist, 'web', 'index.html');
  if (
    process.argv[2] === 'serve' &&
    mtime(webIndex) < newestMtime([path.join(src, 'web'), path.join(src, 'shared')])
  ) {
    process.stderr.write('parc: building the web app…\n');
    try {
      execFileSync(
        process.execPath,
        [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
        {
          cwd: root,
          stdio: ['ignore', 'inherit', 'inherit'],
        },
      );
    } catch {
      failed('web app');
    }
  }
}

await import(pathToFileURL(path.join(dist, 'parc.mjs')).href);
