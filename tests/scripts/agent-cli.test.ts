// `npm run agent -- create …` (issue 11, auth): the token is printed once, only its hash is kept,
// and it works against the API on the same database. Bad arguments are a clear error, exit ≠ 0.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, test } from 'vitest';
import { createApp } from '../../api/app';
import { connect } from '../../api/db/connection';

const root = resolve(import.meta.dirname, '../..');
const TOKEN = /rfq_[A-Za-z0-9_-]{43}/g;
const dirs: string[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npx tsx scripts/agent.ts …` with DATA_DIR set and no DATABASE_URL: the embedded SQLite in `dataDir`. */
function agentCli(dataDir: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.TOKEN_TTL_DAYS;
  return new Promise((done) => {
    execFile('npx', ['tsx', 'scripts/agent.ts', ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-agent-cli-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// Each test has its own data directories, so they run side by side (the CLI's start-up is most of the time).
describe.concurrent('npm run agent', () => {
  test('create prints a token once; it works against the API on the same database', async ({ expect }) => {
    const dataDir = tempDataDir();
    const created = await agentCli(dataDir, ['create', '--email', 'a@b.example', '--name', 'A', '--role', 'admin']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Agent \d+ A <a@b\.example> \(admin\)$/m);
    const tokens = created.stdout.match(TOKEN) ?? [];
    expect(tokens).toHaveLength(1);
    const token = tokens[0]!;
    expect(created.stdout).toContain(`Token (shown once, store it now): ${token}`);

    const again = await agentCli(dataDir, ['create', '--email', 'A@B.example', '--name', 'A twin', '--role', 'agent']);
    const list = await agentCli(dataDir, ['list']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/an agent with email A@B\.example already exists/);
    expect(again.stdout).not.toMatch(TOKEN);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/admin\ta@b\.example\tA\ttokens: \d+/);
    // Shown once: listing never prints it again.
    expect(list.stdout).not.toContain(token);

    const db = connect({ sqliteFile: join(dataDir, 'rafiq.sqlite') });
    try {
      const stored = await db.db.selectFrom('api_tokens').select('token_hash').execute();
      expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);

      const app = createApp({ db });
      const me = await app.request('/trpc/agents.me', { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { result: { data: unknown } }).result.data).toMatchObject({ name: 'A', email: 'a@b.example', role: 'admin' });
      // An admin token: admin-only procedures answer too.
      expect((await app.request('/trpc/agents.list', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await app.request('/trpc/agents.me', { headers: { authorization: `Bearer ${token.slice(0, -1)}x` } })).status).toBe(401);
    } finally {
      await db.close();
    }
  });

  test('a bad --role or --email is a clear error with a non-zero exit, and creates nobody', async ({ expect }) => {
    // Two fresh data directories: the two runs go in parallel without migrating one file twice at once.
    const dataDirs = [tempDataDir(), tempDataDir()];
    const [badRole, badEmail] = await Promise.all([
      agentCli(dataDirs[0]!, ['create', '--email', 'owner@b.example', '--name', 'O', '--role', 'owner']),
      agentCli(dataDirs[1]!, ['create', '--email', 'not-an-email', '--name', 'N', '--role', 'agent']),
    ]);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('--role must be admin or agent');
    expect(badRole.stdout).not.toMatch(TOKEN);
    expect(badEmail.code).not.toBe(0);
    expect(badEmail.stderr).toContain('--email must be an email address');

    for (const dataDir of dataDirs) {
      const db = connect({ sqliteFile: join(dataDir, 'rafiq.sqlite') });
      try {
        expect(await db.db.selectFrom('agents').select('id').execute()).toEqual([]);
      } finally {
        await db.close();
      }
    }
  });
});
