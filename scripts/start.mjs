// `npm start`: build the extension, then serve the API on embedded SQLite with the demo workspace.
// Plain JS (not TS) so it runs before anything is compiled.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => resolve(root, 'node_modules/.bin', name);

console.log('Building the extension (wxt build)…');
const build = spawnSync(bin('wxt'), ['build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (build.status !== 0) {
  console.error('The extension build failed; see above.');
  process.exit(build.status ?? 1);
}
const outDir = resolve(root, '.output/chrome-mv3');
console.log(`
Extension built: ${outDir}
Load it in Chrome/Chromium/Edge:
  1. open chrome://extensions and switch on "Developer mode" (top right)
  2. click "Load unpacked" and choose the folder above
  3. the options page opens: paste the connection string printed below and press "Connect"
Firefox: \`npm run build\` also writes .output/firefox-mv3; load its manifest.json from about:debugging.
`);

const api = spawn(bin('tsx'), ['api/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SEED_DEMO: process.env.SEED_DEMO ?? '1', RAFIQ_LOG_PRETTY: process.env.RAFIQ_LOG_PRETTY ?? '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
