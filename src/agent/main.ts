// The parc-agent command (bundled into dist/parc-agent.mjs by scripts/build-agent.mjs). It exits
// explicitly: a collector that timed out may leave a child process or timer behind.
import { runCli } from './cli.js';

let code: number;
try {
  code = await runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `parc-agent: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  code = 1;
}
process.exit(code);
