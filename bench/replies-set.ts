import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../api/db/database';
import { latestTemplateOfChannel, recordReplies, suggestReplies, type NewReplyHistory, type SuggestionTemplate } from '../api/modules/replies/replies.history';
import { prng } from './stats';

/**
 * The labeled reply set (tests/fixtures/replies/labeled-set.json) and what the benchmark and the
 * hit-rate test do with it: templates for its 8 intents in 4 languages, a history built from the
 * train split (plus optional filler tickets), and top-3 hit rate on the held-out split against
 * the baseline "most recent template of the same channel".
 */
export interface LabeledItem {
  id: string;
  language: 'en' | 'ar' | 'fa' | 'tr';
  channel: 'email' | 'x' | 'review';
  incoming: string;
  usedTemplate: string;
  split: 'train' | 'test';
}

export function loadLabeledSet(): LabeledItem[] {
  const file = resolve(import.meta.dirname, '../tests/fixtures/replies/labeled-set.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { items: LabeledItem[] }).items;
}

/** The team's templates for the set's intents (short, as teams write them). */
export const setTemplates: Record<string, { name: string; bodies: Record<LabeledItem['language'], string> }> = {
  'where-order': { name: 'Where is my order', bodies: { en: 'Hi {{customer.firstName | there}}, your parcel is with the courier and tracking shows it arrives within two days.', ar: 'مرحباً، طردك مع شركة الشحن وسيصل خلال يومين.', fa: 'سلام، مرسوله شما در دست پیک است و تا دو روز دیگر می‌رسد.', tr: 'Merhaba, kargonuz kuryede ve iki gün içinde teslim edilecek.' } },
  refund: { name: 'Refund on its way', bodies: { en: 'Hi {{customer.firstName | there}}, your refund was issued today; banks take 3–5 days.', ar: 'مرحباً، تم إصدار استرداد المبلغ اليوم ويستغرق البنك ٣–٥ أيام.', fa: 'سلام، بازپرداخت امروز انجام شد و بانک ۳ تا ۵ روز زمان می‌برد.', tr: 'Merhaba, iadeniz bugün yapıldı; bankanıza 3–5 günde yansır.' } },
  damaged: { name: 'Damaged item', bodies: { en: 'So sorry it arrived damaged. A replacement ships today, no need to return the broken one.', ar: 'نأسف لوصوله تالفاً. سنشحن بديلاً اليوم ولا حاجة لإرجاع التالف.', fa: 'متأسفیم که آسیب‌دیده رسید. کالای جایگزین امروز ارسال می‌شود.', tr: 'Hasarlı geldiği için üzgünüz. Yenisini bugün gönderiyoruz.' } },
  'wrong-item': { name: 'Wrong item sent', bodies: { en: 'Sorry for the mix-up. The right item ships today with a prepaid label for the wrong one.', ar: 'نعتذر عن الخطأ. سنشحن المنتج الصحيح اليوم مع ملصق إرجاع مدفوع.', fa: 'بابت اشتباه پوزش می‌خواهیم. کالای درست امروز ارسال می‌شود.', tr: 'Karışıklık için özür dileriz. Doğru ürün bugün kargoda.' } },
  cancel: { name: 'Order cancelled', bodies: { en: 'Done: your order is cancelled and you will not be charged.', ar: 'تم إلغاء طلبك ولن يتم خصم أي مبلغ.', fa: 'سفارش شما لغو شد و مبلغی کسر نمی‌شود.', tr: 'Siparişiniz iptal edildi, ücret alınmayacak.' } },
  'change-address': { name: 'Address updated', bodies: { en: 'We updated the delivery address on your order.', ar: 'قمنا بتحديث عنوان التوصيل في طلبك.', fa: 'نشانی تحویل سفارش شما به‌روز شد.', tr: 'Siparişinizin teslimat adresini güncelledik.' } },
  'payment-failed': { name: 'Double charge', bodies: { en: 'The second charge is a hold and drops off within 48 hours; we have released it.', ar: 'الخصم الثاني حجز مؤقت ويُلغى خلال ٤٨ ساعة.', fa: 'برداشت دوم موقت است و ظرف ۴۸ ساعت برمی‌گردد.', tr: 'İkinci çekim provizyondur ve 48 saat içinde düşer.' } },
  thanks: { name: 'Thank you', bodies: { en: 'Thank you so much for the kind words!', ar: 'شكراً جزيلاً على كلماتك اللطيفة!', fa: 'از لطف شما بسیار سپاسگزاریم!', tr: 'Güzel sözleriniz için çok teşekkür ederiz!' } },
};

/** Inserts the set's templates and variants; returns intent → template id and the ranking's view. */
export async function seedTemplates(db: Kysely<Database>, now: number): Promise<{ ids: Map<string, number>; templates: SuggestionTemplate[] }> {
  const ids = new Map<string, number>();
  const templates: SuggestionTemplate[] = [];
  for (const [intent, t] of Object.entries(setTemplates)) {
    const row = await db.insertInto('reply_templates').values({ name: t.name, shortcut: intent, body: t.bodies.en, language: 'en', created_at: now }).returning('id').executeTakeFirstOrThrow();
    for (const language of ['ar', 'fa', 'tr'] as const) {
      await db.insertInto('reply_template_variants').values({ template_id: row.id, language, body: t.bodies[language], created_at: now, updated_at: now }).execute();
    }
    ids.set(intent, row.id);
    templates.push({ id: row.id, name: t.name, shortcut: intent, bodies: Object.entries(t.bodies).map(([language, body]) => ({ language, body })) });
  }
  return { ids, templates };
}

/** The train split as history, in a shuffled order (the baseline depends on what came last). */
export async function seedHistory(db: Kysely<Database>, items: readonly LabeledItem[], ids: ReadonlyMap<string, number>, options: { filler: number; seed: number; start: number }) {
  const random = prng(options.seed);
  const train = items.filter((i) => i.split === 'train');
  const order = [...train].sort(() => random() - 0.5);
  // Filler, to reach a realistic history size: resolved tickets like the train messages (a train
  // message with up to 4 words of other messages mixed in, answered with its template), and one
  // in five pure noise (random words of the set's vocabulary, a random template). Test messages
  // stay out: their phrasing is never in the history.
  const vocabulary = items.flatMap((i) => i.incoming.split(/\s+/));
  const intents = [...ids.keys()];
  const rows: NewReplyHistory[] = [];
  let at = options.start;
  const word = () => vocabulary[Math.floor(random() * vocabulary.length)]!;
  for (let k = 0; k < options.filler; k++) {
    const channel = (['email', 'x', 'review'] as const)[k % 3]!;
    if (random() < 0.2 || !train.length) {
      const words = Array.from({ length: 6 + Math.floor(random() * 10) }, word);
      const intent = intents[Math.floor(random() * intents.length)]!;
      rows.push({ customerId: null, ticketId: null, agentId: null, templateId: ids.get(intent)!, channel, language: null, incoming: words.join(' '), reply: intent, source: 'ticket', usedAt: (at += 1000) });
    } else {
      const base = train[Math.floor(random() * train.length)]!;
      const extra = Array.from({ length: Math.floor(random() * 5) }, word);
      rows.push({ customerId: null, ticketId: null, agentId: null, templateId: ids.get(base.usedTemplate)!, channel, language: base.language, incoming: [base.incoming, ...extra].join(' '), reply: base.usedTemplate, source: 'ticket', usedAt: (at += 1000) });
    }
  }
  for (const item of order) {
    rows.push({ customerId: null, ticketId: null, agentId: null, templateId: ids.get(item.usedTemplate)!, channel: item.channel, language: item.language, incoming: item.incoming, reply: item.usedTemplate, source: 'ticket', usedAt: (at += 1000) });
  }
  await recordReplies(db, rows);
}

export interface HitRates {
  items: number;
  top3: number;
  baseline: number;
  byLanguage: Record<string, { items: number; top3: number; baseline: number }>;
}

export async function evaluate(db: Kysely<Database>, items: readonly LabeledItem[], ids: ReadonlyMap<string, number>, templates: readonly SuggestionTemplate[]): Promise<HitRates> {
  const test = items.filter((i) => i.split === 'test');
  let top3 = 0;
  let baseline = 0;
  const byLanguage: HitRates['byLanguage'] = {};
  for (const item of test) {
    const want = ids.get(item.usedTemplate)!;
    const ranked = await suggestReplies(db, { customerId: null, channel: item.channel, incoming: item.incoming, language: null, limit: 3 }, templates);
    const hit = ranked.some((s) => s.templateId === want);
    const base = (await latestTemplateOfChannel(db, item.channel)) === want;
    const lang = (byLanguage[item.language] ??= { items: 0, top3: 0, baseline: 0 });
    lang.items++;
    if (hit) {
      top3++;
      lang.top3++;
    }
    if (base) {
      baseline++;
      lang.baseline++;
    }
  }
  const pct = (n: number, d: number) => Math.round((1000 * n) / d) / 10;
  for (const l of Object.values(byLanguage)) Object.assign(l, { top3: pct(l.top3, l.items), baseline: pct(l.baseline, l.items) });
  return { items: test.length, top3: pct(top3, test.length), baseline: pct(baseline, test.length), byLanguage };
}
