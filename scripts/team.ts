import { parseArgs } from 'node:util';
import { startTeam } from './team-lib';

/**
 * `npm run team -- --processes 3 --port 8080`: N API processes on the PostgreSQL at
 * DATABASE_URL behind nginx (Debian's /usr/sbin/nginx, config generated into a temp dir; the
 * production sample is deploy/nginx.conf). Ctrl-C stops all of it.
 */
const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL=postgres://… : a team runs several API processes on one PostgreSQL (SQLite is one process).');
  process.exit(2);
}
const processes = Number(values.processes);
if (!Number.isInteger(processes) || processes < 1 || processes > 64) {
  console.error('--processes must be a whole number from 1 to 64');
  process.exit(2);
}
const team = await startTeam({ processes, databaseUrl, listenPort: Number(values.port), listenHost: values.host });
console.log(`Rafiq team: ${processes} API processes (${team.processes.map((p) => p.port).join(', ')}) behind nginx on ${team.url}`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void team.close().then(() => process.exit(0));
  });
}
