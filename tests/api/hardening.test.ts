import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openSqlite } from '../../api/db/connection';
import { isQueryTimeout, QueryTimeoutError } from '../../api/db/query-guard';

/**
 * Issue 18, item 1: one NUL byte stopped the SQLite API. Each case here failed (hung) on the
 * main branch before the fix; each is bounded so a regression fails instead of hanging.
 */

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs a fixture script in its own process and kills it after `ms`: a synchronous hang cannot be stopped in-process. */
function runBounded(script: string, ms: number): Promise<{ timedOut: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done({ timedOut, stdout, stderr });
    });
  });
}

describe('item 1: a NUL byte in a stored subject', () => {
  test('metrics.summary on SQLite answers, and counts the words before the NUL', { timeout: 40_000 }, async () => {
    const run = await runBounded('tests/api/fixtures/nul-summary.ts', 30_000);
    expect(run.timedOut, `metrics.summary hung on a NUL subject\n${run.stderr.slice(-2000)}`).toBe(false);
    const answer = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      error?: string;
      summary?: { topics: { words: { top: { topic: string; current: number }[] } } };
    };
    expect(answer.error ?? null).toBeNull();
    expect(answer.summary!.topics.words.top).toEqual(
      expect.arrayContaining([expect.objectContaining({ topic: 'refund', current: 2 }), expect.objectContaining({ topic: 'late', current: 1 })]),
    );
  });

  test('rafiq_guard stops a recursive query that never ends, with a timeout error', () => {
    const sqlite = openSqlite(':memory:');
    try {
      const endless = sqlite.prepare('with recursive r(x) as (select 1 union all select x + 1 from r where rafiq_guard(?)) select count(*) from r');
      let caught: unknown;
      try {
        endless.get(Date.now() + 200);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(QueryTimeoutError);
      expect(isQueryTimeout(caught)).toBe(true);
      // The connection is still usable afterwards.
      expect(sqlite.prepare('select 1 as one').get()).toEqual({ one: 1 });
    } finally {
      sqlite.close();
    }
  });
});
