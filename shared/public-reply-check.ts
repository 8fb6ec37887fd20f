import { foldName } from './normalize';
import { foldBreaks } from './text';

/**
 * The check before a reply goes on a public page (a review site, a complaint site): pure, local,
 * no DOM. It warns; it never blocks: the agent reads the warning and may still insert.
 *
 * What it looks for, and why each rule is narrow (a warning that fires on every reply is one the
 * agent learns to click away):
 * - **Personal data**: an e-mail address or phone number that is not the business's own contact
 *   (`business`), the customer's own known e-mails, phones and order numbers, and anything shaped
 *   like an order reference ("order #A-10233", "sipariş no 55102", "رقم الطلب 8812", "شماره سفارش ۴۴۱۲").
 *   Dates, prices, percentages and years are not phone numbers.
 * - **Asking the reviewer to remove or change the review**: review platforms forbid it (Trustpilot,
 *   Google and Yelp guidelines) and it reads as pressure. Matched as a request verb next to the
 *   reviewer's review/rating/complaint, in each language's word order; reports of what *we* changed
 *   ("we updated our policy after your review") are not requests.
 * - **Naming another customer**: another reviewer on the page (or another customer the caller
 *   passes) by full name, or (Latin script) by a capitalized first name of 4+ letters.
 */

export interface PublicReplySubject {
  /** The reviewer's known e-mails, phones and order numbers (from the customer card). */
  emails?: readonly string[];
  phones?: readonly string[];
  orderNumbers?: readonly string[];
  /** The reviewer's own names: never "another customer". */
  customerNames?: readonly string[];
  /** Other customers' display names (other reviewers on the page, other customers). */
  otherCustomerNames?: readonly string[];
  /** The business's own public contacts, which a reply may give ("write to support@shop.example"). */
  business?: { emailDomains?: readonly string[]; emails?: readonly string[]; phones?: readonly string[] };
}

export type PublicReplyWarningKind = 'email' | 'phone' | 'order-number' | 'asks-to-change-review' | 'names-other-customer';

export interface PublicReplyWarning {
  kind: PublicReplyWarningKind;
  /** The text that triggered it, as written in the reply (for the warning UI). */
  match: string;
}

/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits as ASCII, so "۰۹۱۲" is checked like "0912". */
export function asciiDigits(value: string): string {
  return value.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

const digitsOf = (value: string) => asciiDigits(value).replace(/\D/g, '');

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

function emailWarnings(text: string, subject: PublicReplySubject): PublicReplyWarning[] {
  const own = new Set((subject.business?.emails ?? []).map((e) => e.toLowerCase()));
  const domains = (subject.business?.emailDomains ?? []).map((d) => d.toLowerCase().replace(/^@/, ''));
  const out: PublicReplyWarning[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const email = match[0].replace(/\.$/, '').toLowerCase();
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (own.has(email) || domains.some((d) => domain === d || domain.endsWith(`.${d}`))) continue;
    out.push({ kind: 'email', match: match[0].replace(/\.$/, '') });
  }
  // The customer's own address written with a space or an "at" would slip the pattern; their
  // known addresses are also looked for as they are.
  const lower = text.toLowerCase();
  for (const email of subject.emails ?? []) {
    const e = email.toLowerCase();
    if (e && lower.includes(e) && !out.some((w) => w.match.toLowerCase() === e)) out.push({ kind: 'email', match: email });
  }
  return out;
}

// A run of digits with the separators people write phone numbers with.
const PHONE_LIKE = /(?:\+|00)?\(?\d[\d\s().-]{6,}\d/g;
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

function phoneWarnings(text: string, subject: PublicReplySubject): PublicReplyWarning[] {
  const ascii = asciiDigits(text);
  const businessPhones = (subject.business?.phones ?? []).map(digitsOf).filter((d) => d.length >= 6);
  const customerPhones = (subject.phones ?? []).map(digitsOf).filter((d) => d.length >= 6);
  const out: PublicReplyWarning[] = [];
  for (const match of ascii.matchAll(PHONE_LIKE)) {
    const raw = match[0].trim();
    const digits = raw.replace(/\D/g, '');
    if (DATE_LIKE.test(raw)) continue;
    const isCustomer = customerPhones.some((p) => p.endsWith(digits.slice(-9)) || digits.endsWith(p.slice(-9)));
    if (!isCustomer) {
      // 9–15 digits (E.164), written as a phone is written: with + / 00, a leading 0 or a group separator.
      if (digits.length < 9 || digits.length > 15) continue;
      if (!/^(?:\+|00|0|\()/.test(raw) && !/\d[\s.-]\d/.test(raw)) continue;
      // An order or ticket number, not a phone: handled (or allowed) by the order rule.
      const before = ascii.slice(Math.max(0, (match.index ?? 0) - 1), match.index ?? 0);
      if (before === '#') continue;
    }
    if (businessPhones.some((p) => p.slice(-9) === digits.slice(-9))) continue;
    out.push({ kind: 'phone', match: text.slice(match.index ?? 0, (match.index ?? 0) + match[0].length).trim() });
  }
  return out;
}

// "order", "sipariş", "طلب", "سفارش" and their usual companions, then the reference itself.
const ORDER_KEYWORD =
  /(?:\border(?:\s+(?:no\.?|number|num\.?|id|ref(?:erence)?))?|\bsipari[şs](?:\s*(?:no|numaras[ıi]|numaran[ıi]z|kodu))?|(?:رقم\s+)?(?:ال)?طلب(?:ك|كم)?(?:\s+رقم)?|(?:شماره\s+)?سفارش(?:\s*(?:شماره|تان|ت|\u200cتان))?)\s*[:#№]?\s*([A-Za-z]{0,4}[-#]?[0-9\u0660-\u0669\u06f0-\u06f9][0-9A-Za-z\u0660-\u0669\u06f0-\u06f9-]{2,})/giu;
const HASH_NUMBER = /(?:^|[\s(])#([0-9\u0660-\u0669\u06f0-\u06f9]{4,})/gu;

function orderWarnings(text: string, subject: PublicReplySubject): PublicReplyWarning[] {
  const out: PublicReplyWarning[] = [];
  for (const match of text.matchAll(ORDER_KEYWORD)) out.push({ kind: 'order-number', match: match[0].trim() });
  for (const match of text.matchAll(HASH_NUMBER)) {
    if (!out.some((w) => w.match.includes(match[1]!))) out.push({ kind: 'order-number', match: `#${match[1]}` });
  }
  const ascii = asciiDigits(text).toLowerCase();
  for (const number of subject.orderNumbers ?? []) {
    const n = asciiDigits(number).toLowerCase();
    if (n.length < 3) continue;
    const at = ascii.indexOf(n);
    const boundary = (c: string | undefined) => c === undefined || !/[\p{L}\p{N}]/u.test(c);
    if (at >= 0 && boundary(ascii[at - 1]) && boundary(ascii[at + n.length]) && !out.some((w) => asciiDigits(w.match).toLowerCase().includes(n))) {
      out.push({ kind: 'order-number', match: number });
    }
  }
  return out;
}

/**
 * Requests to take the review down or change it, per language, over lower-cased text with ZWNJ
 * as a space. Each pattern pairs a request form of the verb with the reviewer's review; a report
 * in the past tense ("we updated", "güncelledik", "حذفنا") is not a request.
 */
const CHANGE_REQUESTS: readonly RegExp[] = [
  // English: verb … your/the/this review|rating|post|comment|complaint|stars (not "review process").
  /\b(?:remov(?:e|ing)|delet(?:e|ing)|tak(?:e|ing)\s+down|edit(?:ing)?|updat(?:e|ing)|chang(?:e|ing)|revis(?:e|ing)|amend(?:ing)?|reconsider(?:ing)?|modify(?:ing)?|withdraw(?:ing)?|retract(?:ing)?|rais(?:e|ing)|bump(?:ing)?|improv(?:e|ing)|upgrad(?:e|ing)|adjust(?:ing)?)\s+(?:\w+\s+){0,2}?(?:your|the|this|that)\s+(?:[\w-]+\s+)?(?:review|rating|post|comment|feedback|complaint|score|star rating|stars)\b(?!\s+(?:process|policy|policies|team|system|guidelines|page))/i,
  /\btake\s+(?:it|this|that)\s+down\b/i,
  /\b(?:give|leave|rate)\s+us\s+(?:a\s+)?(?:5|five|higher|better)(?:[\s-]+stars?|\s+rating)?\b/i,
  /\b(?:your|the)\s+(?:review|rating|post|complaint)\s+(?:removed|deleted|taken\s+down|updated|changed|edited)\b(?=[^.!?]*\b(?:could|would|please|kindly|ask|request|appreciate|if\s+you)\b)/i,
  // Arabic: request verb (masdar or imperfect 2nd person) then the review (yours or definite).
  /(?:^|[\s،,.])(?:و|ف)?(?:حذف|إزالة|ازالة|تعديل|تغيير|تحديث|سحب|رفع|تحذف|تزيل|تعدل|تعدّل|تغير|تغيّر|تحدث|تسحب|احذف|عدل|عدّل|غير|غيّر)\s+(?:\S+\s+){0,2}?(?:تقييمك|تقييمكم|التقييم|مراجعتك|مراجعتكم|المراجعة|تعليقك|تعليقكم|التعليق|شكواك|شكواكم|الشكوى|النجوم|عدد\s+النجوم)/u,
  /(?:تقييمك|تقييمكم|مراجعتك|تعليقك|شكواك)\s+(?:إلى|الى|ل)\s*(?:5|٥|خمس)/u,
  // Persian: the review (yours / with را) … then the verb in a request form (not past: "کردیم").
  /(?:نظر|امتیاز|دیدگاه|نقد|شکایت|ستاره|ستاره‌ها|ستاره ها)\s?(?:تان|ت|خود|خودتان|\s+خود|\s+خودتان)?\s+(?:را|رو)\s+(?:\S+\s+){0,2}?(?:حذف|پاک|برداشتن|بردارید|ویرایش|تغییر|اصلاح|بازنگری|عوض|پس\s+بگیرید|بالا\s+ببرید|افزایش)(?!\s*(?:کردیم|کرده‌ایم|کرده ایم|دادیم|شد))/u,
  /(?:نظر|امتیاز|دیدگاه)\s?(?:تان|ت)\s+(?:\S+\s+){0,2}?(?:حذف|ویرایش|تغییر|اصلاح)\s+(?:کنید|کنی|بفرمایید|نمایید|دهید|بدهید)/u,
  // Turkish: the review in the accusative, then a request form of the verb (not past -dı/-dik).
  /(?:yorum|değerlendirme|degerlendirme|puan|şikayet|sikayet|şikâyet|inceleme|yıldız|yildiz|paylaşım|paylasim)\p{L}*?(?:u|ü|ı|i|yı|yi|yu|yü|nu|nü|nı|ni)\s+(?:\S+\s+){0,2}?(?:kaldır|kaldir|sil|değiştir|degistir|güncelle|guncelle|düzenle|duzenle|geri\s+çek|geri\s+cek|revize\s+et|yükselt|yukselt|gözden\s+geçir)(?=(?:me|ma|meniz|manız|ebil|abil|yebil|ir|ır|er|ar|in|ın|iniz|ınız|yin|yın|mek|mak|mey|may|mesi|ması|menizi|manızı|ecek|acak)|\s|$)(?![a-zçğıöşü]*(?:dı|di|du|dü|tı|ti|tu|tü|dık|dik|duk|dük|tık|tik))/iu,
];

function changeRequestWarnings(text: string): PublicReplyWarning[] {
  const prepared = foldBreaks(text).replace(/\u200c/g, ' ');
  const out: PublicReplyWarning[] = [];
  for (const pattern of CHANGE_REQUESTS) {
    const match = pattern.exec(prepared);
    if (match) out.push({ kind: 'asks-to-change-review', match: match[0].trim().replace(/^[،,.]\s*/, '') });
  }
  return out.slice(0, 1);
}

function nameWarnings(text: string, subject: PublicReplySubject): PublicReplyWarning[] {
  const folded = ` ${foldName(foldBreaks(text))} `;
  const own = new Set((subject.customerNames ?? []).flatMap((n) => foldName(foldBreaks(n)).split(' ')).filter(Boolean));
  const out: PublicReplyWarning[] = [];
  const seen = new Set<string>();
  for (const name of subject.otherCustomerNames ?? []) {
    const full = foldName(foldBreaks(name));
    if (!full || seen.has(full)) continue;
    seen.add(full);
    const words = full.split(' ');
    const first = words[0]!;
    const hitFull = words.length > 1 && folded.includes(` ${full} `);
    // A first name alone is a name only when it is long enough not to be a common short word and
    // is not the reviewer's own first name ("Sara" answering Sara is fine).
    // Arabic and Persian first names are shared by too many people (and have no capitals to tell a
    // name from a word): there only the full name counts.
    const hitFirst = !hitFull && /^[a-z]/.test(first) && first.length >= 4 && !own.has(first) && new RegExp(`[\\s]${escapeRegExp(first)}(?:'s|’s)?[\\s]`, 'u').test(folded) && capitalizedInText(text, first);
    if (hitFull || hitFirst) out.push({ kind: 'names-other-customer', match: hitFull ? name : first });
  }
  return out;
}

/** Latin first names must be written capitalized to count ("Hope" the name, not "hope" the verb). */
function capitalizedInText(text: string, foldedWord: string): boolean {
  const pattern = new RegExp(`(?:^|[^\\p{L}])${escapeRegExp(foldedWord[0]!.toUpperCase())}${escapeRegExp(foldedWord.slice(1))}(?![\\p{L}])`, 'u');
  return pattern.test(text.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The check's signature, for code that is handed it rather than importing it: the sidebar and the
 * snippets of the Gmail and X content scripts never run it (their replies are not on a review page),
 * so only the review sites' script bundles it (issue 20: every page pays for what its script carries).
 */
export type PublicReplyChecker = (text: string, subject: PublicReplySubject) => PublicReplyWarning[];

export function checkPublicReply(text: string, subject: PublicReplySubject = {}): PublicReplyWarning[] {
  if (!text.trim()) return [];
  const orders = orderWarnings(text, subject);
  // An order reference is reported once, as an order number, not again as a phone.
  const phones = phoneWarnings(text, subject).filter((p) => !orders.some((o) => digitsOf(o.match).includes(digitsOf(p.match)) || digitsOf(p.match).includes(digitsOf(o.match))));
  return [...emailWarnings(text, subject), ...phones, ...orders, ...changeRequestWarnings(text), ...nameWarnings(text, subject)];
}
