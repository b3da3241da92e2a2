// Bundles parc-agent, Parc's inventory agent, into one file, dist/parc-agent.mjs, that runs with
// `node dist/parc-agent.mjs` on a machine without node_modules. Everything is bundled, systeminformation
// included; only the macOS temperature sensors systeminformation may require (never called by the
// agent) stay out. Type-checking is tsc's job.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildAgent({ outfile = path.join(root, 'dist/parc-agent.mjs') } = {}) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  // systeminformation's MIT licence asks for its notice in every copy: the file carries it.
  const siLicense = fs.readFileSync(path.join(root, 'node_modules/systeminformation/LICENSE'), 'utf8');
  await build({
    entryPoints: [path.join(root, 'src/agent/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['osx-temperature-sensor', 'macos-temperature-sensor'],
    define: { __PARC_AGENT_VERSION__: JSON.stringify(version) },
    // The shebang makes the file runnable as ./parc-agent.mjs; bundled CommonJS (systeminformation)
    // calls require(): give it one in the ESM output.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __parcRequire } from 'node:module'; const require = __parcRequire(import.meta.url);",
    },
    footer: { js: `/*! Bundled: systeminformation\n${siLicense.replaceAll('*/', '* /').trim()}\n*/` },
  });
  fs.chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAgent();
