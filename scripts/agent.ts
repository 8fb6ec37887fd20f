// `npm run agent -- create --email E --name N --role admin|agent`: adds an agent and prints a new
// token once (only its hash is stored). Also: `token --email E` (another token), `revoke --id N`, `list`.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { connect } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { parseEnv } from '../api/env';
import { createAgent, createToken, findAgentByEmail, listAgents, listTokens, revokeToken } from '../api/modules/agents/agents.repository';
import { DomainError } from '../api/errors';

const usage = `usage:
  npm run agent -- create --email E --name N --role admin|agent
  npm run agent -- token --email E [--label L] [--expires-days D]
  npm run agent -- revoke --id TOKEN_ID
  npm run agent -- list`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'agent' },
    label: { type: 'string' },
    id: { type: 'string' },
    'expires-days': { type: 'string' },
  },
});

const env = parseEnv();
const db = connect({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
await migrateToLatest(db.db);
const now = Date.now();
try {
  switch (positionals[0]) {
    case 'create': {
      const input = z
        .object({ email: z.email('--email must be an email address'), name: z.string().min(1, '--name is required'), role: z.enum(['admin', 'agent'], '--role must be admin or agent') })
        .parse(values);
      const agent = await createAgent(db.db, input, now);
      const ttl = env.TOKEN_TTL_DAYS;
      const { token } = await createToken(db.db, agent.id, now, { label: 'npm run agent', expiresAt: ttl ? now + ttl * 86_400_000 : null });
      console.log(`Agent ${agent.id} ${agent.name} <${agent.email}> (${agent.role})`);
      console.log(`Token (shown once, store it now): ${token}`);
      break;
    }
    case 'token': {
      const agent = await findAgentByEmail(db.db, values.email ?? '');
      if (!agent) throw new Error(`no agent with email ${values.email}`);
      const days = values['expires-days'] ? Number(values['expires-days']) : env.TOKEN_TTL_DAYS || null;
      const { id, token } = await createToken(db.db, agent.id, now, { label: values.label ?? 'npm run agent', expiresAt: days ? now + days * 86_400_000 : null });
      console.log(`Token ${id} for ${agent.email} (shown once): ${token}`);
      break;
    }
    case 'revoke': {
      const ok = await revokeToken(db.db, Number(values.id), now);
      console.log(ok ? `Token ${values.id} revoked` : `No active token ${values.id}`);
      if (!ok) process.exitCode = 1;
      break;
    }
    case 'list': {
      for (const agent of await listAgents(db.db)) {
        const tokens = await listTokens(db.db, agent.id);
        console.log(`${agent.id}\t${agent.role}\t${agent.email}\t${agent.name}\ttokens: ${tokens.map((t) => `${t.id}${t.revoked_at ? '(revoked)' : ''}`).join(', ')}`);
      }
      break;
    }
    default:
      console.error(usage);
      process.exitCode = 2;
  }
} catch (error) {
  if (error instanceof z.ZodError) console.error(error.issues.map((i) => i.message).join('\n'));
  else if (error instanceof DomainError || error instanceof Error) console.error(error.message);
  process.exitCode = 1;
} finally {
  await db.close();
}
