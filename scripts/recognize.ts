// `npm run recognize -- <saved-page.html> --url <page url> [--agent-email E]...`
// Prints the JSON the adapter registry recognizes on a saved page: what support engineers run
// when a site changes its markup. Scripts in the page never run (DOMParser does not execute them).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Window } from 'happy-dom';
import { pageContextSchema } from '@shared/page-context';
import { adapterForUrl } from '../extension/sites/registry';

/**
 * happy-dom 21's parser drops everything after a `<style>` placed directly inside `<svg>` (the G2
 * page has such icons); browsers don't. Those SVG-internal styles are removed before parsing; no
 * page content is in them. The same workaround as tests/extension/sites/review-fixture.ts.
 */
export const withoutSvgStyles = (html: string) => html.replace(/(<svg\b[^>]*>)\s*<style\b[^>]*>[\s\S]*?<\/style>/gi, '$1');

export function recognizeHtml(html: string, url: string, agentEmails: string[] = []) {
  const pageUrl = new URL(url);
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
    console: { ...console, error: () => undefined, warn: () => undefined } as Console,
  });
  const doc = new window.DOMParser().parseFromString(withoutSvgStyles(html), 'text/html') as unknown as Document;
  const adapter = adapterForUrl(pageUrl);
  const context = adapter.recognize(doc, pageUrl, { agentEmails });
  const valid = context ? pageContextSchema.safeParse(context) : null;
  void window.happyDOM.abort();
  return {
    adapter: adapter.id,
    recognized: context ?? null,
    schemaErrors: valid && !valid.success ? valid.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [],
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('recognize.ts')) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, 'agent-email': { type: 'string', multiple: true } },
  });
  const file = positionals[0];
  if (!file || !values.url) {
    console.error('usage: npm run recognize -- <saved-page.html> --url <page url> [--agent-email you@company.com]');
    process.exit(2);
  }
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    console.error(`--url ${values.url} is not a URL`);
    process.exit(2);
  }
  const result = recognizeHtml(readFileSync(file, 'utf8'), url.href, values['agent-email'] ?? []);
  console.log(JSON.stringify(result, null, 2));
  if (result.schemaErrors.length) process.exitCode = 1;
}
