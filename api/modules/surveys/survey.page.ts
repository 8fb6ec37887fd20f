import { Hono, type Context as HonoContext } from 'hono';
import { html } from 'hono/html';
import type { Db } from '../../db/connection';
import { cleanLineText, cleanPersonName, stripInvisible } from '@shared/text';
import { answerSurvey, findSurveyPage, scaleRange, type SurveyScale } from './surveys.repository';

/**
 * The public survey page at `/s/:token`: plain HTML with a real form (no JavaScript anywhere),
 * localized in English, Arabic, Persian and Turkish (right-to-left for Arabic and Persian). Every
 * piece of text goes through Hono's `html` template, which escapes it: the customer's name and
 * the ticket subject come from outside and may hold markup.
 */

import { surveyLanguages, surveyText as text, type SurveyLanguage, type SurveyTextKey as TextKey } from '@shared/i18n-survey';

export { surveyLanguages, type SurveyLanguage };

const isLanguage = (value: string): value is SurveyLanguage => (surveyLanguages as readonly string[]).includes(value);

/**
 * The language asked for in the link (`?lang=ar`, or the form's own `lang` on a post); else the
 * customer's own locale when we know it and have it; else the browser's Accept-Language (by
 * q-value); else English.
 */
export function chooseSurveyLanguage(customerLocale: string | null, acceptLanguage: string | undefined, requested?: string | null): SurveyLanguage {
  const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  const asked = primary(requested ?? '');
  if (isLanguage(asked)) return asked;
  const own = primary(customerLocale ?? '');
  if (isLanguage(own)) return own;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: primary(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wanted.map((x) => x.lang).find(isLanguage) ?? 'en';
}

/** Each language named in itself, so a customer finds theirs whatever the page shows now. */
const endonyms: Record<SurveyLanguage, string> = { en: 'English', ar: 'العربية', fa: 'فارسی', tr: 'Türkçe' };
const dirOf = (lang: SurveyLanguage) => (lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr');
const say = (lang: SurveyLanguage, key: TextKey, params: Record<string, string> = {}) =>
  text[lang][key].replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? '');

const styles = `
body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Tahoma,'Noto Sans Arabic',sans-serif;margin:0;background:#f6f7f9;color:#1d2433}
main{max-inline-size:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-block-start:0}
fieldset{border:0;padding:0;margin:1.5rem 0}
legend{font-weight:600;margin-block-end:.75rem}
.scale{display:flex;flex-wrap:wrap;gap:.4rem}
.scale label{display:flex;flex-direction:column;align-items:center;min-inline-size:3rem;padding:.5rem;border:1px solid #c5cad3;border-radius:8px;cursor:pointer}
.scale input{margin:0 0 .25rem}
.scale label:has(input:checked){border-color:#1f5fbf;background:#e8f0fd}
.scale label:focus-within{outline:3px solid #1f5fbf;outline-offset:2px}
.end{font-size:.8rem;color:#4a5263;text-align:center}
label.comment{display:block;font-weight:600;margin-block-end:.4rem}
textarea{inline-size:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #c5cad3;border-radius:8px}
button{margin-block-start:1rem;font:inherit;padding:.6rem 1.6rem;border:0;border-radius:8px;background:#1f5fbf;color:#fff;cursor:pointer}
.alert{color:#b42318;font-weight:600}
.langs{display:flex;gap:1rem;justify-content:flex-end;max-inline-size:40rem;margin:1rem auto 0;padding-inline:1.5rem;font-size:.9rem}
.langs a{color:#1f5fbf}
`;

function page(lang: SurveyLanguage, body: unknown) {
  return html`<!doctype html>
<html lang="${lang}" dir="${dirOf(lang)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${say(lang, 'title')}</title>
    <style>${styles}</style>
  </head>
  <body>
    <nav class="langs">${surveyLanguages
      .filter((l) => l !== lang)
      .map((l) => html`<a href="?lang=${l}" lang="${l}" dir="${dirOf(l)}" hreflang="${l}">${endonyms[l]}</a>`)}</nav>
    <main>${body}</main>
  </body>
</html>`;
}

function message(lang: SurveyLanguage, key: TextKey) {
  return page(lang, html`<h1>${say(lang, 'title')}</h1><p role="status">${say(lang, key)}</p>`);
}

/**
 * A sentence with one piece of data in it (issue 18 item 11): the data is cleaned under the
 * boundary policy (a stored U+202E, from an import or an older row, is removed) and isolated in
 * `<bdi>`, so a name in another script cannot reorder the sentence around it. Escaped by `html`.
 */
function sayIsolated(lang: SurveyLanguage, key: Parameters<typeof say>[1], param: string, value: string) {
  const [before, after = ''] = say(lang, key, { [param]: '\u0000' }).split('\u0000');
  return html`${before}<bdi>${value}</bdi>${after}`;
}

function form(lang: SurveyLanguage, survey: { scale: SurveyScale; name: string; subject: string }, error: boolean) {
  const { min, max } = scaleRange[survey.scale];
  // The same digits as the agent's default: Arabic-Indic for Arabic, Persian for Persian.
  const digits = new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-arab' : lang === 'fa' ? 'fa-u-nu-arabext' : lang);
  const low = say(lang, survey.scale === 'csat' ? 'csatLow' : 'npsLow');
  const high = say(lang, survey.scale === 'csat' ? 'csatHigh' : 'npsHigh');
  const options = [];
  for (let score: number = min; score <= max; score++) {
    const end = score === min ? low : score === max ? high : null;
    options.push(
      html`<label><input type="radio" name="score" value="${String(score)}" required /><span>${digits.format(score)}</span>${end ? html`<span class="end">${end}</span>` : ''}</label>`,
    );
  }
  return page(
    lang,
    html`<h1>${say(lang, 'title')}</h1>
      <p>${sayIsolated(lang, 'greeting', 'name', cleanPersonName(survey.name))}</p>
      <p>${sayIsolated(lang, 'about', 'subject', cleanLineText(survey.subject))}</p>
      <form method="post">
        ${error ? html`<p class="alert" role="alert" id="score-error">${say(lang, 'invalid')}</p>` : ''}
        <fieldset${error ? html` aria-describedby="score-error"` : ''}>
          <legend>${say(lang, survey.scale === 'csat' ? 'csatQuestion' : 'npsQuestion')}</legend>
          <div class="scale">${options}</div>
        </fieldset>
        <label class="comment" for="comment">${say(lang, 'comment')}</label>
        <textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea>
        <input type="hidden" name="lang" value="${lang}" />
        <button type="submit">${say(lang, 'submit')}</button>
      </form>`,
  );
}

/** The page is its own small world: no scripts at all, posts only to itself, never framed. */
function pageHeaders(c: HonoContext) {
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
}

export function surveyPages(options: { db: Db; now: () => number }): Hono {
  const app = new Hono();
  const { db, now } = options;

  app.get('/:token', async (c) => {
    pageHeaders(c);
    const survey = await findSurveyPage(db.db, c.req.param('token'));
    const lang = chooseSurveyLanguage(survey?.locale ?? null, c.req.header('accept-language'), c.req.query('lang'));
    if (!survey) return c.html(message(lang, 'notFound'), 404);
    if (survey.answered_at !== null) return c.html(message(lang, 'already'), 200);
    return c.html(form(lang, { scale: survey.scale, name: survey.display_name, subject: survey.subject }, false), 200);
  });

  app.post('/:token', async (c) => {
    pageHeaders(c);
    const token = c.req.param('token');
    const survey = await findSurveyPage(db.db, token);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const lang = chooseSurveyLanguage(survey?.locale ?? null, c.req.header('accept-language'), typeof body.lang === 'string' ? body.lang : c.req.query('lang'));
    if (!survey) return c.html(message(lang, 'notFound'), 404);
    if (survey.answered_at !== null) return c.html(message(lang, 'already'), 409);

    const rawScore = typeof body.score === 'string' ? body.score.trim() : '';
    const score = /^\d{1,2}$/.test(rawScore) ? Number(rawScore) : NaN;
    const { min, max } = scaleRange[survey.scale];
    if (!(score >= min && score <= max)) {
      return c.html(form(lang, { scale: survey.scale, name: survey.display_name, subject: survey.subject }, true), 400);
    }
    // Public text, cleaned by the same policy as every API text field (issue 18 item 1): a NUL
    // or a bidi override typed into the form is never stored.
    const comment = typeof body.comment === 'string' ? stripInvisible(body.comment).trim().slice(0, 2000).trimEnd() : '';
    const answeredIn = typeof body.lang === 'string' && isLanguage(body.lang) ? body.lang : lang;
    const result = await answerSurvey(db.db, { token, score, comment: comment || null, locale: answeredIn, now: now() });
    if (result === 'not-found') return c.html(message(lang, 'notFound'), 404);
    if (result === 'already-answered') return c.html(message(lang, 'already'), 409);
    return c.html(message(lang, 'thanks'), 200);
  });

  return app;
}
