#!/usr/bin/env node
// Entry point of the `parc` command. In a clone, builds what is stale first (server with tsc, web with
// Vite, for `serve`), so `npm start` and `npx parc` work straight after `npm install`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

function newestMtime(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    if (fs.statSync(dir).isDirectory()) walk(dir);
    else newest = Math.max(newest, fs.statSync(dir).mtimeMs);
  }
  return newest;
}

function mtime(file) {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

function build(label, args) {
  process.stderr.write(`parc: building the ${label}…\n`);
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    process.stderr.write(`parc: the ${label} build failed; run "npm install" and retry\n`);
    process.exit(1);
  }
}

if (fs.existsSync(src)) {
  const serverStamp = path.join(dist, '.server-built');
  const serverSources = ['server', 'cli', 'shared'].map((d) => path.join(src, d));
  if (mtime(serverStamp) < newestMtime([...serverSources, path.join(root, 'tsconfig.build.json')])) {
    build('server', [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
    fs.writeFileSync(serverStamp, new Date().toISOString());
  }
  const webIndex = path.join(dist, 'web', 'index.html');
  if (
    process.argv[2] === 'serve' &&
    mtime(webIndex) < newestMtime([path.join(src, 'web'), path.join(src, 'shared')])
  ) {
    build('web app', [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
  }
}

await import(pathToFileURL(path.join(dist, 'cli', 'index.js')).href);
