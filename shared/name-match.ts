import { foldName } from './normalize';

/**
 * Comparing people's names across scripts and spellings, for *suggestions* only (an agent
 * confirms every one; see api/modules/customers/README.md). Pure and dependency-free: the API
 * scores candidates with it and the extension may explain a suggestion with it.
 *
 * Three layers, strongest first:
 * 1. folded equality (`foldName`: Arabic/Persian letter variants, Turkish i, accents, case);
 * 2. a hand-made table of common given names and their spellings in Arabic, Persian, Turkish and
 *    Latin transliterations (محمد = Mohammed = Muhammad = Mehmet);
 * 3. a coarse consonant skeleton (Latin transliteration of Arabic letters, vowels dropped,
 *    voiced/voiceless pairs merged) for names the table does not know.
 *
 * Limits, on purpose: the table holds ~40 common given names, not a dictionary; the skeleton
 * cannot tell names that differ only in vowels (حسن Hassan / حسين Hussein would collide, which
 * is why the table overrides it when both names are in it); Arabic written without short vowels
 * is ambiguous, so a skeleton match is scored below a table match; Persian ض/ذ/ظ read as z but
 * Arabic ض as d, so the skeleton merges d/t and s/z; Latin names are never transliterated *into*
 * Arabic; compound names written as one word ("Abdulrahman" vs "Abdul Rahman") are not split.
 */

export type NameScript = 'arabic' | 'latin' | 'cyrillic' | 'greek' | 'other';

/**
 * Cyrillic and Greek to Latin, the way names are romanized on passports and profiles (Russian
 * and Ukrainian BGN/PCGN-style, Greek ELOT 743), after `foldName` (which already dropped the
 * accents: й → и, ё → е, ά → α). Used to compare and index such names with their Latin
 * spellings ("Мухаммад" ↔ "Muhammad", "Γιώργος" ↔ "Giorgos"); always a suggestion, ranked below
 * an exact spelling.
 */
const CYRILLIC_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '',
  э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ђ: 'dj', ј: 'j', љ: 'lj', њ: 'nj', ћ: 'c', џ: 'dz', ў: 'u',
  қ: 'q', ғ: 'gh', ү: 'u', ұ: 'u', ә: 'a', ө: 'o', һ: 'h',
};
const GREEK_DIGRAPHS: [RegExp, string][] = [
  [/ου/g, 'ou'],
  [/^μπ/g, 'b'],
  [/^ντ/g, 'd'],
  [/γγ/g, 'ng'],
  [/γκ/g, 'g'],
  [/γξ/g, 'nx'],
  [/γχ/g, 'nch'],
  [/αυ/g, 'av'],
  [/ευ/g, 'ev'],
];
const GREEK_LATIN: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
  ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

/** A Cyrillic or Greek token in Latin letters; any other token as it is. */
export function latinOf(token: string): string {
  const script = scriptOf(token);
  if (script === 'cyrillic') return [...token].map((ch) => CYRILLIC_LATIN[ch] ?? ch).join('');
  if (script === 'greek') {
    let t = token;
    for (const [re, to] of GREEK_DIGRAPHS) t = t.replace(re, to);
    return [...t].map((ch) => GREEK_LATIN[ch] ?? ch).join('');
  }
  return token;
}

/** The table entry of a token, read in Latin letters when it is Cyrillic or Greek. */
function canonicalFor(token: string): string | undefined {
  const found = canonicalOf.get(token);
  if (found) return found;
  const latin = latinOf(token);
  if (latin === token) return undefined;
  // Russian writes Arabic ح/خ as х ("kh"): Мухаммад = mukhammad = Muhammad, Хасан = Hasan.
  return canonicalOf.get(latin) ?? canonicalOf.get(latin.replace(/kh/g, 'h'));
}

/** Canonical key → spellings (written naturally; folded when the table is built). */
const GIVEN_NAMES: Record<string, readonly string[]> = {
  muhammad: ['محمد', 'muhammad', 'mohammed', 'mohammad', 'mohamed', 'mohamad', 'muhammed', 'mohammed', 'mehmet', 'mehmed', 'mohd', 'mohamud'],
  ahmad: ['أحمد', 'احمد', 'ahmad', 'ahmed', 'ahmet', 'ehmed'],
  mahmoud: ['محمود', 'mahmoud', 'mahmud', 'mahmut', 'mahmood'],
  ali: ['علي', 'علی', 'ali', 'aly'],
  fatima: ['فاطمة', 'فاطمه', 'fatima', 'fatma', 'fatemeh', 'fatemah', 'fatimah', 'fatme'],
  aisha: ['عائشة', 'عايشه', 'aisha', 'aysha', 'ayesha', 'ayse', 'aishah', 'aicha'],
  hassan: ['حسن', 'hassan', 'hasan', 'hasen'],
  hussein: ['حسين', 'hussein', 'husein', 'hussain', 'husain', 'huseyin', 'hossein', 'hosein', 'houssein'],
  mustafa: ['مصطفى', 'mustafa', 'mostafa', 'moustafa', 'mustapha', 'mostapha'],
  yusuf: ['يوسف', 'یوسف', 'yusuf', 'yousef', 'youssef', 'yousif', 'yusif', 'yousuf', 'yussuf'],
  ibrahim: ['إبراهيم', 'ابراهيم', 'ibrahim', 'ebrahim', 'ibraheem', 'brahim', 'ebraheem'],
  khalid: ['خالد', 'khalid', 'khaled', 'halit', 'khaleed'],
  omar: ['عمر', 'omar', 'umar', 'omer', 'ömer'],
  osman: ['عثمان', 'osman', 'othman', 'uthman', 'usman', 'osmane'],
  reza: ['رضا', 'reza', 'rida', 'ridha', 'riza', 'rıza'],
  zahra: ['زهرا', 'زهراء', 'zahra', 'zehra', 'zahraa'],
  maryam: ['مريم', 'مریم', 'maryam', 'mariam', 'meryem', 'maryem'],
  layla: ['ليلى', 'لیلا', 'ليلا', 'layla', 'leila', 'leyla', 'laila', 'leyla', 'lejla', 'laylaa'],
  hamza: ['حمزة', 'حمزه', 'hamza', 'hamzah', 'hamze'],
  abdullah: ['عبدالله', 'abdullah', 'abdallah', 'abdulla', 'abdellah', 'abdollah'],
  yasmin: ['ياسمين', 'یاسمین', 'yasmin', 'yasmine', 'yasemin', 'jasmin', 'yasmeen'],
  zaynab: ['زينب', 'زینب', 'zaynab', 'zainab', 'zeynep', 'zeinab'],
  amir: ['أمير', 'امير', 'امیر', 'amir', 'emir', 'ameer'],
  karim: ['كريم', 'کریم', 'karim', 'kareem', 'kerim'],
  saeed: ['سعيد', 'سعید', 'saeed', 'said', 'sait', 'saed', 'saied'],
  salim: ['سليم', 'سلیم', 'salim', 'selim', 'saleem'],
  nour: ['نور', 'nour', 'noor', 'nur'],
  huda: ['هدى', 'هدی', 'huda', 'hoda', 'houda'],
  sara: ['سارة', 'ساره', 'سارا', 'sara', 'sarah'],
  hadi: ['هادي', 'هادی', 'hadi', 'haadi'],
  mehdi: ['مهدي', 'مهدی', 'mehdi', 'mahdi'],
  jafar: ['جعفر', 'jafar', 'jaafar', 'cafer', 'djafar'],
  yaqub: ['يعقوب', 'یعقوب', 'yaqub', 'yakub', 'yaqoob', 'yakup', 'jacob'],
  suleiman: ['سليمان', 'سلیمان', 'suleiman', 'sulaiman', 'suleyman', 'soliman', 'sulayman'],
  ismail: ['إسماعيل', 'اسماعيل', 'اسماعیل', 'ismail', 'ismael', 'esmail', 'smail'],
  khadija: ['خديجة', 'خدیجه', 'khadija', 'khadijah', 'hatice', 'khadijeh'],
  emine: ['أمينة', 'امينه', 'امینه', 'amina', 'aminah', 'emine', 'amineh'],
  haddad: ['حداد', 'الحداد', 'haddad', 'hadad'],
  kaya: ['كايا', 'kaya'],
  nasser: ['ناصر', 'nasser', 'nasir', 'naser', 'nacer'],
  rahimi: ['رحيمي', 'رحیمی', 'rahimi'],
  tehrani: ['تهراني', 'تهرانی', 'tehrani'],
};

const canonicalOf = new Map<string, string>();
for (const [canonical, spellings] of Object.entries(GIVEN_NAMES)) {
  for (const spelling of spellings) {
    for (const token of splitTokens(foldName(spelling))) canonicalOf.set(stripArticle(token), canonical);
  }
}

// Arabic/Persian letters (after foldName) → a coarse Latin consonant class; '' = vowel-like.
const ARABIC_CLASS: Record<string, string> = {
  ا: '', ب: 'b', پ: 'b', ت: 't', ث: 's', ج: 'j', چ: 'j', ح: 'h', خ: 'h', د: 't', ذ: 's', ر: 'r', ز: 's', ژ: 's',
  س: 's', ش: 's', ص: 's', ض: 't', ط: 't', ظ: 's', ع: '', غ: 'k', ف: 'f', ق: 'k', ك: 'k', گ: 'k', ل: 'l', م: 'm',
  ن: 'n', ه: 'h', و: '', ي: '', ء: '',
};
const LATIN_DIGRAPHS: [RegExp, string][] = [
  [/kh/g, 'h'],
  [/sh/g, 's'],
  [/th/g, 't'],
  [/dh/g, 't'],
  [/gh/g, 'k'],
  [/ph/g, 'f'],
  [/ch/g, 'j'],
  [/ou/g, 'u'],
];
const LATIN_CLASS: Record<string, string> = {
  a: '', e: '', i: '', o: '', u: '', y: '', w: '', b: 'b', p: 'b', t: 't', d: 't', s: 's', z: 's', c: 'k', k: 'k',
  q: 'k', g: 'k', x: 'ks', j: 'j', f: 'f', v: 'f', h: 'h', l: 'l', m: 'm', n: 'n', r: 'r',
};

function splitTokens(folded: string): string[] {
  return folded.split(/[\s@.+_-]+/u).filter(Boolean);
}

/** "ال" glued to Arabic surnames (الحداد) is the article, like a separate "al"/"el" in Latin. */
function stripArticle(token: string): string {
  return token.length >= 4 && token.startsWith('ال') ? token.slice(2) : token;
}

const LATIN_ARTICLES = new Set(['al', 'el', 'ul']);

export function scriptOf(token: string): NameScript {
  if (/[\u0600-\u06ff]/u.test(token)) return 'arabic';
  if (/^[a-z0-9]+$/.test(token)) return 'latin';
  if (/\p{Script=Cyrillic}/u.test(token)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(token)) return 'greek';
  return 'other';
}

/** The tokens of a name as compared: folded, split on spaces and punctuation, articles dropped. */
export function nameTokens(name: string): string[] {
  const tokens = splitTokens(foldName(name)).map(stripArticle);
  const kept = tokens.filter((t) => !LATIN_ARTICLES.has(t));
  return kept.length ? kept : tokens;
}

/** Consonant skeleton: "Mohammed" and "محمد" → "mhmt"; doubled letters and a final h dropped. */
export function skeleton(token: string): string {
  let out = '';
  const script = scriptOf(token);
  if (script === 'arabic') {
    for (const ch of token) out += ARABIC_CLASS[ch] ?? '';
  } else if (script === 'latin' || script === 'cyrillic' || script === 'greek') {
    let t = latinOf(token);
    for (const [re, to] of LATIN_DIGRAPHS) t = t.replace(re, to);
    for (const ch of t) out += LATIN_CLASS[ch] ?? '';
  } else {
    return '';
  }
  out = out.replace(/(.)\1+/g, '$1');
  return out.endsWith('h') ? out.slice(0, -1) : out;
}

/** "K" of "Kaya", "ك" of "كايا" (both k): the class of the first letter, vowels as "a". */
export function initialOf(token: string): string {
  let latin = latinOf(token);
  // A romanized х is "kh", heard as h (Хаддад = Haddad): the digraph decides the initial.
  if (latin !== token) for (const [re, to] of LATIN_DIGRAPHS) latin = latin.replace(re, to);
  const first = [...latin][0] ?? '';
  if (scriptOf(first) === 'arabic') return ARABIC_CLASS[first] || 'a';
  if (/[aeiouy]/.test(first)) return 'a';
  return (LATIN_CLASS[first] ?? first).slice(0, 1) || first;
}

const isInitial = (token: string) => [...token].length === 1;

export function canonicalName(token: string): string | undefined {
  return canonicalFor(token);
}

/**
 * What a token is indexed under: its table entry, else its skeleton (when long enough to mean
 * something), else itself. Tokens that compare equal share a key, so candidates are found by key.
 */
export function tokenKey(token: string): string {
  const canonical = canonicalFor(token);
  if (canonical) return canonical;
  if (isInitial(token)) return initialOf(token);
  const s = skeleton(token);
  return s.length >= 2 ? `~${s}` : token;
}

/**
 * Index keys of a name (stored per customer, looked up per query):
 * `n:` the whole name, order- and script-free; `p:` a token with another token's initial
 * ("Ali K." and "Ali Kaya" both have `p:ali|k`).
 */
export function nameKeys(name: string): string[] {
  const tokens = nameTokens(name).slice(0, 6);
  if (!tokens.length) return [];
  const keys = new Set<string>([`n:${tokens.map(tokenKey).sort().join(' ')}`]);
  if (tokens.length >= 2) {
    tokens.forEach((a, i) => {
      if (isInitial(a)) return;
      tokens.forEach((b, j) => {
        if (i !== j) keys.add(`p:${tokenKey(a)}|${initialOf(b)}`);
      });
    });
  }
  return [...keys];
}

export type NameReason = 'same-name' | 'word-order' | 'other-script' | 'spelling-variant' | 'initial' | 'some-words';

export interface TokenMatch {
  score: number;
  reason: 'exact' | 'other-script' | 'spelling-variant' | 'initial';
}

export function compareTokens(a: string, b: string): TokenMatch | null {
  if (a === b) return { score: 1, reason: 'exact' };
  const crossScript = scriptOf(a) !== scriptOf(b);
  const ca = canonicalFor(a);
  const cb = canonicalFor(b);
  if (ca && cb) return ca === cb ? { score: 0.95, reason: crossScript ? 'other-script' : 'spelling-variant' } : null;
  // Cyrillic / Greek read in Latin letters: the same romanization is a strong sign, a skeleton
  // match a weaker one (as between two Latin spellings), both below an exact spelling.
  const romanized = scriptOf(a) === 'cyrillic' || scriptOf(a) === 'greek' || scriptOf(b) === 'cyrillic' || scriptOf(b) === 'greek';
  if (romanized && !isInitial(a) && !isInitial(b)) {
    if (latinOf(a) === latinOf(b)) return { score: 0.9, reason: 'other-script' };
    const sa = skeleton(a);
    if (sa !== skeleton(b)) return null;
    // As for Arabic: two letters of skeleton suffice across scripts ("Хаддад" khaddad ↔ "Haddad").
    if (crossScript && sa.length >= 2) return { score: 0.75, reason: 'other-script' };
    return !crossScript && sa.length >= 3 ? { score: 0.75, reason: 'spelling-variant' } : null;
  }
  if (isInitial(a) !== isInitial(b)) {
    const [initial, full] = isInitial(a) ? [a, b] : [b, a];
    return initialOf(initial) === initialOf(full) ? { score: 0.6, reason: 'initial' } : null;
  }
  if (isInitial(a)) return null;
  const sa = skeleton(a);
  if (sa !== skeleton(b)) return null;
  // A skeleton says little when short, and less between two Latin spellings (Lina/Lena/Leon).
  if (crossScript && sa.length >= 2) return { score: 0.85, reason: 'other-script' };
  if (!crossScript && sa.length >= 3) return { score: 0.75, reason: 'spelling-variant' };
  return null;
}

export interface NameComparison {
  /** 0..1: the mean of the best token pairing, unmatched tokens counting 0. */
  score: number;
  reasons: NameReason[];
  /** Pairs that matched, for explaining ("K. ↔ Kaya"). */
  pairs: { a: string; b: string; reason: TokenMatch['reason'] }[];
}

/**
 * Scores two names for "probably the same person". Token order is ignored (best pairing), a
 * name of only initials never matches, and a one-word name is capped: "Ali" alone says little.
 */
export function compareNames(nameA: string, nameB: string): NameComparison {
  const a = nameTokens(nameA).slice(0, 6);
  const b = nameTokens(nameB).slice(0, 6);
  const none: NameComparison = { score: 0, reasons: [], pairs: [] };
  if (!a.length || !b.length) return none;

  // Best pairing by exhaustive search over the (≤ 6 × 6) pairs, greedy on score: names are short.
  const candidates: { i: number; j: number; m: TokenMatch }[] = [];
  a.forEach((ta, i) =>
    b.forEach((tb, j) => {
      const m = compareTokens(ta, tb);
      if (m) candidates.push({ i, j, m });
    }),
  );
  candidates.sort((x, y) => y.m.score - x.m.score || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const chosen: typeof candidates = [];
  for (const c of candidates) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i);
    usedB.add(c.j);
    chosen.push(c);
  }
  if (!chosen.some((c) => c.m.reason !== 'initial')) return none;

  const total = Math.max(a.length, b.length);
  let score = chosen.reduce((sum, c) => sum + c.m.score, 0) / total;
  if (Math.min(a.length, b.length) === 1) score = Math.min(score, 0.55);
  // Both names have a word the other lacks ("Anna Maria Schmidt" / "Anna Maria Müller", "Layla
  // Haddad" / "Layla Khoury"): they share given names, not the person. Capped below what
  // api/modules/customers/matching.ts suggests (0.5 × 0.9 < 0.55).
  const unmatchedA = a.filter((t, i) => !usedA.has(i) && !isInitial(t));
  const unmatchedB = b.filter((t, j) => !usedB.has(j) && !isInitial(t));
  if (unmatchedA.length && unmatchedB.length) score = Math.min(score, 0.5);

  const reasons = new Set<NameReason>();
  const exact = chosen.every((c) => c.m.reason === 'exact') && chosen.length === total;
  const ordered = [...chosen].sort((x, y) => x.i - y.i);
  const orderKept = ordered.every((c, k) => k === 0 || c.j > ordered[k - 1]!.j);
  if (exact && orderKept) reasons.add('same-name');
  if (!orderKept && chosen.length >= 2) reasons.add('word-order');
  for (const c of chosen) {
    if (c.m.reason === 'other-script') reasons.add('other-script');
    if (c.m.reason === 'spelling-variant') reasons.add('spelling-variant');
    if (c.m.reason === 'initial') reasons.add('initial');
  }
  if (chosen.length < total) reasons.add('some-words');
  if (!reasons.size) reasons.add('same-name');
  return {
    score: Math.round(score * 1000) / 1000,
    reasons: [...reasons],
    pairs: chosen.map((c) => ({ a: a[c.i]!, b: b[c.j]!, reason: c.m.reason })),
  };
}

const FREE_MAIL = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'me.com', 'aol.com',
  'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'yandex.com', 'yandex.ru', 'mail.ru', 'hotmail.fr', 'yahoo.fr',
  'msn.com', 'web.de', 'example.com',
]);

/** The domain of an email, when it could be a company's (not a free-mail provider). */
export function companyDomainOfEmail(normalizedEmail: string): string | null {
  const domain = normalizedEmail.slice(normalizedEmail.lastIndexOf('@') + 1);
  if (!domain || FREE_MAIL.has(domain) || !domain.includes('.')) return null;
  return domain;
}

/** A company field written as a domain ("acme.com", "https://www.acme.com/") → "acme.com". */
export function domainOfCompany(company: string | null | undefined): string | null {
  if (!company) return null;
  const match = /^(?:https?:\/\/)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/?$/i.exec(company.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** "layla.haddad" / "layla_haddad" → "layla haddad": a name an email address may spell. */
export function nameFromEmailLocalPart(normalizedEmail: string): string | null {
  const local = normalizedEmail.slice(0, normalizedEmail.lastIndexOf('@')).replace(/\+.*$/, '');
  const parts = local.split(/[._-]+/).filter((p) => /^[a-z]{2,}$/.test(p));
  return parts.length >= 2 ? parts.join(' ') : null;
}

/** Does an email's local part spell this name ("lhaddad", "layla.h", "haddadl", "laylahaddad")? */
export function localPartSpellsName(normalizedEmail: string, name: string): boolean {
  const local = normalizedEmail.slice(0, normalizedEmail.lastIndexOf('@')).replace(/\+.*$/, '').replace(/[._-]/g, '');
  const tokens = nameTokens(name).filter((t) => scriptOf(t) === 'latin' && t.length >= 2);
  if (tokens.length < 2 || local.length < 4) return false;
  const [first, last] = [tokens[0]!, tokens[tokens.length - 1]!];
  const forms = [first + last, last + first, first[0] + last, first + last[0], last + first[0]];
  return forms.includes(local);
}
