// Headers added after a handler (CORS, the request id) are set on the handler's own response, not
// on a copy: Hono's `c.header()` there rebuilds the response with a streamed body, which cost
// ~55 µs of server CPU per request (issue 20). A response with immutable headers still gets them.
import { Hono, type Context } from 'hono';
import { describe, expect, test } from 'vitest';
import { setHeaderInPlace } from '../../../api/response-headers';

function appWith(handler: (c: Context) => Response | Promise<Response>) {
  const seen: { before?: Response; after?: Response } = {};
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    seen.before = c.res;
    setHeaderInPlace(c, 'X-Request-Id', 'req-1');
    setHeaderInPlace(c, 'Vary', 'Origin', { append: true });
    seen.after = c.res;
  });
  app.get('/', handler);
  return { app, seen };
}

describe('setHeaderInPlace', () => {
  test("sets and appends on the handler's response without replacing it", async () => {
    const { app, seen } = appWith((c) => {
      c.header('Vary', 'Accept-Encoding');
      return c.json({ ok: true });
    });
    const res = await app.request('/');
    expect(seen.after).toBe(seen.before);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Origin');
    expect(await res.json()).toEqual({ ok: true });
  });

  test('falls back to a copy when the response headers are immutable', async () => {
    // Response.redirect's headers are immutable by the Fetch standard.
    const { app, seen } = appWith(() => Response.redirect('https://example.com/next', 302));
    const res = await app.request('/');
    expect(seen.after).not.toBe(seen.before);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.com/next');
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('vary')).toBe('Origin');
  });
});
