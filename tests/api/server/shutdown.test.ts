// Shutting the API down while clients keep their connections busy (every open sidebar polls
// presence once a second on a kept-alive connection): close() must still end, within the grace
// period, not wait for the clients to go quiet. The outbox e2e hung here for two minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseEnv } from '../../../api/env';
import { CLOSE_GRACE_MS, startServer } from '../../../api/server';

test('close() ends within the grace period while a client polls on a kept-alive connection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-shutdown-'));
  const server = await startServer(parseEnv({ PORT: '0', DATA_DIR: dir, SEED_DEMO: '0' }), { sqliteFile: join(dir, 'db.sqlite'), quiet: true });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let polling = true;
  let answered = 0;
  const poll = async () => {
    while (polling) {
      await new Promise<void>((resolve) => {
        const req = request(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            answered++;
            resolve();
          });
        });
        req.on('error', () => resolve());
        req.end();
      });
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const poller = poll();
  try {
    await expect.poll(() => answered, { timeout: 5_000 }).toBeGreaterThan(3);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(CLOSE_GRACE_MS + 2_000);
  } finally {
    polling = false;
    await poller;
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}, 20_000);
