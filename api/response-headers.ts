import type { Context } from 'hono';

/**
 * Sets a header on the response a handler already made, in place.
 *
 * Hono's `c.header()` after `await next()` rebuilds the response (`new Response(res.body, res)`),
 * which turns @hono/node-server's string body into a stream the server must then pipe: measured at
 * ~55 µs of server CPU per request, a third of a whole `customers.lookup` (issue 20; README, API
 * benchmark). A response built in this process (tRPC's, `c.json`) has mutable headers, so they are
 * set where they are; a response whose headers are immutable (one passed through from `fetch`)
 * falls back to `c.header()`, which copies it.
 */
export function setHeaderInPlace(c: Context, name: string, value: string, options: { append?: boolean } = {}): void {
  try {
    if (options.append) c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  } catch {
    c.header(name, value, options);
  }
}
