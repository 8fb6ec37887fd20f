import { parseEnv } from './env';
import { startServer } from './server';
import { API_VERSION } from './app';

const env = parseEnv();
const server = await startServer(env);
console.log(`Rafiq API ${API_VERSION} on ${server.url} (${server.db.kind})`);
if (server.demoToken) {
  console.log(`Demo token: ${server.demoToken}`);
  console.log(`Connection string (paste into the extension's options): ${server.url}#token=${server.demoToken}`);
}

// Graceful shutdown: stop taking connections, let in-flight requests finish, close the database.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
