import type { PageContext, SiteId } from '@shared/page-context';
import { cleanLine, lineText } from './text';
import { pageUrl } from './url';

const CHALLENGE_TITLES =
  /^(just a moment\.*|attention required!?( \| cloudflare)?|one more step|checking your browser.*|robot check|are you a robot\??|access to this page has been denied\.?|pardon our interruption\.*|verify you are human|security check|bir dakika\.*|لحظة\.*)$/i;
const CHALLENGE_SELECTORS = [
  // Cloudflare interstitial and managed challenge (2019–2025 markup)
  '#cf-challenge-running',
  '#challenge-form',
  '#challenge-stage',
  '#challenge-running',
  '.cf-challenge',
  '.cf-browser-verification',
  '#cf-please-wait',
  // Amazon "Robot Check" / "Enter the characters you see below"
  'form[action*="validateCaptcha"]',
  '#captchacharacters',
  // PerimeterX (Yelp, G2 at times) and DataDome (G2) block pages
  '#px-captcha',
  'iframe[src*="captcha-delivery.com"]',
  'script[src*="captcha-delivery.com"]',
  // Google "unusual traffic" page
  'form[action*="/sorry/index"]',
  '#captcha-form',
];
const CHALLENGE_TEXT =
  /(checking if the site connection is secure|verify you are human by completing|enable javascript and cookies to continue|enter the characters you see below|sorry, we just need to make sure you're not a robot|our systems have detected unusual traffic|you have been blocked|why have i been blocked|access to this page has been denied|please verify you are a human|press (&|and) hold)/i;
const ERROR_TITLES =
  /(^|\b)(404|410|500|502|503)(\b|$)|page not found|not found|service unavailable|internal server error|bad gateway|sayfa bulunamad[ıi]|p[aá]gina no encontrada|pagina non trovata|seite nicht gefunden|الصفحة غير موجودة|خطأ/i;
const ERROR_TEXT =
  /(sorry! we couldn'?t find that page|looking for something\? we'?re sorry\. the web address you entered is not a functioning page|this page isn'?t available|the page you requested could not be found|we can'?t find the page|page you were looking for (doesn'?t|does not) exist|sayfa bulunamad[ıi])/i;

function visibleText(doc: Document): string {
  return lineText(doc.body, {}, 5000);
}

/**
 * Whether the site answered with a bot challenge or an error page instead of content.
 * Conservative: title and well-known challenge hooks decide; page text is only read when the
 * page is short (a review that mentions "captcha" must not hide a real page). Cloudflare adds
 * `/cdn-cgi/challenge-platform/` scripts to normal pages too, so that alone is not a challenge.
 */
export function isBlockedPage(doc: Document): 'bot-challenge' | 'error-page' | null {
  const title = cleanLine(doc.title, 300);
  const bodyText = visibleText(doc);
  const short = bodyText.length < 1500;
  if (CHALLENGE_TITLES.test(title)) return 'bot-challenge';
  if (CHALLENGE_SELECTORS.some((selector) => doc.querySelector(selector))) return 'bot-challenge';
  const challengeScript = doc.querySelector(
    'script[src*="/cdn-cgi/challenge-platform/"], iframe[src*="challenges.cloudflare.com"], script[src*="challenges.cloudflare.com"]',
  );
  if (challengeScript && short) return 'bot-challenge';
  if (short && CHALLENGE_TEXT.test(bodyText)) return 'bot-challenge';
  if (short && (ERROR_TITLES.test(title) || ERROR_TEXT.test(bodyText))) return 'error-page';
  return null;
}

export function blockedPage(site: SiteId, url: URL, reason: 'bot-challenge' | 'error-page' | 'signed-out'): PageContext {
  return { kind: 'blocked', site, url: pageUrl(url), reason };
}
