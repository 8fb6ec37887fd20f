// `npm run seed`: migrate the configured database and seed the demo workspace if it is empty
// (what `npm start` does before serving), then print the demo token.
import { connect } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { seedDemoIfEmpty } from '../api/demo/seed';
import { parseEnv } from '../api/env';
import { indexMissingCustomers } from '../api/modules/customers/search-index';

const env = parseEnv();
const db = connect({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  await migrateToLatest(db.db);
  const token = await seedDemoIfEmpty(db.db, { log: true, tokenFile: `${env.DATA_DIR}/demo-token.txt` });
  await indexMissingCustomers(db.db);
  console.log(`Demo token: ${token}`);
} finally {
  await db.close();
}
