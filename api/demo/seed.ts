import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import { foldName, normalizeIdentity, type IdentityInput } from '@shared/identity';
import type { Database } from '../db/database';
import { createAgent, createToken } from '../modules/agents/agents.repository';

/**
 * The demo workspace `npm start` serves: ~200 customers with names in English, Arabic, Persian
 * and Turkish, identities across email, X and review sites, orders, tickets in every state and
 * 90 days of interactions. Deterministic (seeded PRNG) so screenshots and tests can name people.
 *
 * The first customers are the people on the demo pages (tests/fixtures/pages): opening those
 * pages shows a known customer.
 */

export const DEMO_AGENT = { name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin' as const };

interface DemoPerson {
  name: string;
  company?: string;
  locale: string;
  tags: string[];
  identities: IdentityInput[];
}

export const demoPagePeople: DemoPerson[] = [
  {
    name: 'Layla Haddad',
    company: 'Haddad Design',
    locale: 'ar',
    tags: ['vip'],
    identities: [
      { kind: 'email', value: 'layla.haddad@example.com' },
      { kind: 'email', value: 'layla@haddad-design.example' },
      { kind: 'x', value: '@layla_haddad' },
    ],
  },
  {
    name: 'Mehmet Yılmaz',
    company: 'Yılmaz Tekstil',
    locale: 'tr',
    tags: ['wholesale'],
    identities: [
      { kind: 'email', value: 'mehmet.yilmaz@example.com.tr' },
      { kind: 'x', value: 'mehmet_yilmaz' },
    ],
  },
  { name: 'Ayşe Demir', locale: 'tr', tags: [], identities: [{ kind: 'email', value: 'ayse.demir@example.com.tr' }] },
  { name: 'نور السيد', locale: 'ar', tags: ['complaint-risk'], identities: [{ kind: 'x', value: 'nour_alsayed' }, { kind: 'email', value: 'nour.alsayed@example.net' }] },
  {
    name: 'Elisa Pacchioni',
    locale: 'it',
    tags: [],
    identities: [{ kind: 'trustpilot', value: 'https://www.trustpilot.com/users/683605448a537581ff52c0fe' }],
  },
  {
    name: 'Marcus C.',
    locale: 'en',
    tags: [],
    identities: [{ kind: 'yelp', value: 'https://www.yelp.com/user_details?userid=AoxLea6RXcwefB9L_eajGw' }],
  },
];

const firstNames = {
  en: ['James', 'Olivia', 'Noah', 'Emma', 'Liam', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Grace', 'Henry', 'Chloe'],
  ar: ['محمد', 'فاطمة', 'أحمد', 'مريم', 'يوسف', 'سارة', 'عمر', 'ليلى', 'خالد', 'هدى', 'علي', 'إيمان'],
  fa: ['رضا', 'زهرا', 'علی', 'مریم', 'حسین', 'فاطمه', 'امیر', 'نگار', 'سینا', 'پریسا', 'کاوه', 'یاسمن'],
  tr: ['Ahmet', 'Zeynep', 'Mustafa', 'Elif', 'Emre', 'İrem', 'Burak', 'Şule', 'Can', 'Işıl', 'Oğuz', 'Gül'],
} as const;
const lastNames = {
  en: ['Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Clarke', 'Walker', 'Hughes', 'Evans', 'Turner'],
  ar: ['الحسن', 'العلي', 'المصري', 'الخطيب', 'حداد', 'منصور', 'سليمان', 'الشامي', 'عبدالله', 'يوسف'],
  fa: ['کریمی', 'رضایی', 'احمدی', 'محمدی', 'حسینی', 'موسوی', 'جعفری', 'صادقی', 'رحیمی', 'نوری'],
  tr: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Öztürk', 'Aydın', 'Arslan', 'Doğan'],
} as const;
const latin = {
  ar: ['mohammed', 'fatima', 'ahmed', 'maryam', 'yousef', 'sara', 'omar', 'layla', 'khaled', 'huda', 'ali', 'iman'],
  fa: ['reza', 'zahra', 'ali', 'maryam', 'hossein', 'fatemeh', 'amir', 'negar', 'sina', 'parisa', 'kaveh', 'yasaman'],
} as const;

export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const asciiFold = (s: string) =>
  s
    .replace(/[İIı]/g, 'i')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');

function generatedPeople(count: number, random: () => number): DemoPerson[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const locales = ['en', 'ar', 'fa', 'tr'] as const;
  const people: DemoPerson[] = [];
  for (let i = 0; i < count; i++) {
    const locale = locales[i % 4]!;
    const fi = Math.floor(random() * 12);
    const first = firstNames[locale][fi]!;
    const last = pick(lastNames[locale]);
    const handleBase = locale === 'ar' || locale === 'fa' ? latin[locale][fi]! : asciiFold(first);
    const identities: IdentityInput[] = [{ kind: 'email', value: `${handleBase}.${i}@example.${pick(['com', 'net', 'org'])}` }];
    if (random() < 0.5) identities.push({ kind: 'x', value: `${handleBase}_${i}`.slice(0, 15) });
    if (random() < 0.3) identities.push({ kind: 'phone', value: pick(['+1 415 555 ', '+90 532 555 ', '+966 50 555 ', '+98 912 555 ']) + String(1000 + i) });
    if (random() < 0.2) identities.push({ kind: 'trustpilot', value: `https://www.trustpilot.com/users/demo${String(i).padStart(6, '0')}` });
    if (random() < 0.1) identities.push({ kind: 'google', value: `https://www.google.com/maps/contrib/1000000${i}` });
    people.push({
      name: `${first} ${last}`,
      locale,
      company: random() < 0.3 ? pick(['Acme Ltd', 'Nile Trading', 'Pars Software', 'Anadolu Lojistik', 'Gulf Retail']) : undefined,
      tags: random() < 0.2 ? [pick(['vip', 'wholesale', 'churn-risk', 'press'])] : [],
      identities,
    });
  }
  return people;
}

const subjects = [
  'Order arrived damaged',
  'Where is my refund?',
  'Wrong size delivered',
  'Cannot log in to my account',
  'Invoice needs a tax number',
  'Delivery is late',
  'Question about warranty',
  'Payment charged twice',
];

export const demoTemplates = [
  { name: 'Apology for a damaged order', shortcut: 'damaged', language: 'en', body: 'Hi {{customer.firstName}},\n\nI am sorry your order {{order.number | }} arrived damaged. I have arranged a replacement and you will get a tracking link within 24 hours.\n\nBest,\n{{agent.name}}' },
  { name: 'Refund on its way', shortcut: 'refund', language: 'en', body: 'Hi {{customer.firstName}},\n\nYour refund for order {{order.number | your last order}} ({{order.total | the full amount}}) is on its way: 3–5 working days.\n\n{{agent.firstName}}' },
  { name: 'Public reply to a review', shortcut: 'review-reply', language: 'en', body: 'Thank you for your feedback, {{customer.firstName}}. We are sorry about your experience; {{agent.firstName}} from our team will contact you today to make it right.' },
  { name: 'Short X reply', shortcut: 'x-dm', language: 'en', body: 'Hi {{customer.firstName}}, sorry about this! Please send us a DM with your order number and we will sort it out today. ^{{agent.firstName}}' },
  { name: 'اعتذار عن تأخر الطلب', shortcut: 'ar-delay', language: 'ar', body: 'مرحبًا {{customer.firstName}}،\n\nنعتذر عن تأخر طلبك {{order.number | }}. سيصلك خلال يومين.\n\n{{agent.name}}' },
  { name: 'Sipariş gecikmesi', shortcut: 'tr-delay', language: 'tr', body: 'Merhaba {{customer.firstName}},\n\n{{order.number | Siparişiniz}} için özür dileriz; iki gün içinde elinizde olacak.\n\n{{agent.name}}' },
];

/** Seeds the demo workspace once; returns the demo admin's token (kept in `tokenFile` for restarts). */
export async function seedDemoIfEmpty(
  db: Kysely<Database>,
  options: { log?: boolean; tokenFile?: string; now?: number; customers?: number } = {},
): Promise<string> {
  const tokenFile = options.tokenFile ?? './data/demo-token.txt';
  const existing = await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT.email).executeTakeFirst();
  if (existing) {
    if (existsSync(tokenFile)) return readFileSync(tokenFile, 'utf8').trim();
    // The token file was removed: issue a new token rather than print nothing.
    const { token } = await createToken(db, existing.id, Date.now(), { label: 'npm start (re-issued)' });
    writeToken(tokenFile, token);
    return token;
  }
  const now = options.now ?? Date.now();
  const day = 86_400_000;
  const random = mulberry32(42);
  const people = [...demoPagePeople, ...generatedPeople((options.customers ?? 200) - demoPagePeople.length, random)];
  // One transaction: a failed seed leaves an empty database, and the next start seeds again.
  const token = await db.transaction().execute(async (trx) => {
    const agent = await createAgent(trx, DEMO_AGENT, now - 120 * day);
    const teammate = await createAgent(trx, { name: 'Emre Kaya', email: 'emre@rafiq.example', role: 'agent', locale: 'tr' }, now - 120 * day);
    const { token } = await createToken(trx, agent.id, now, { label: 'npm start demo' });
    const agents = [agent.id, teammate.id];
    await trx.insertInto('reply_templates').values(demoTemplates.map((t) => ({ ...t, created_at: now - 100 * day }))).execute();
    let orderSeq = 20_000;
    for (const [index, person] of people.entries()) {
      const createdAt = now - Math.floor((100 + random() * 200) * day);
      const { id } = await trx
        .insertInto('customers')
        .values({
          display_name: person.name,
          name_folded: foldName(person.name),
          company: person.company ?? null,
          locale: person.locale,
          tags: JSON.stringify(person.tags),
          custom_fields: JSON.stringify(index < demoPagePeople.length ? { plan: 'Plus' } : {}),
          created_at: createdAt,
          updated_at: createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('identities')
        .values(
          person.identities.map((identity) => {
            const normalized = normalizeIdentity(identity);
            if (!normalized.ok) throw new Error(`demo identity ${identity.value} ${normalized.reason}`);
            return { customer_id: id, kind: identity.kind, value: identity.value, normalized: normalized.normalized, linked_by: 'seed' as const, linked_by_agent_id: null, created_at: createdAt };
          }),
        )
        .execute();

      // Orders: the page people always have some, so templates render with a real last order.
      const orderCount = index < demoPagePeople.length ? 3 : Math.floor(random() * 4);
      for (let o = 0; o < orderCount; o++) {
        const placedAt = now - Math.floor(random() * 90 * day) - (index < demoPagePeople.length ? (orderCount - o) * 5 * day : 0);
        const number = index === 0 && o === orderCount - 1 ? 'R-10042' : `R-${++orderSeq}`;
        const price = Math.round((10 + random() * 240) * 100);
        const { id: orderId } = await trx
          .insertInto('orders')
          .values({
            customer_id: id,
            number,
            status: (['delivered', 'shipped', 'paid', 'returned'] as const)[Math.floor(random() * 4)]!,
            total_cents: price,
            currency: ({ en: 'USD', ar: 'SAR', fa: 'EUR', tr: 'TRY', it: 'EUR' } as Record<string, string>)[person.locale] ?? 'USD',
            placed_at: placedAt,
            items: JSON.stringify([{ name: ['Linen shirt', 'Desk lamp', 'Ceramic mug set', 'Wool scarf'][o % 4], quantity: 1, priceCents: price }]),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('interactions').values({ customer_id: id, channel: 'order', direction: 'inbound', occurred_at: placedAt, summary: `Order ${number} placed`, excerpt: null, url: null, external_id: `order:${orderId}`, agent_id: null, ticket_id: null, created_at: placedAt }).execute();
      }

      // Tickets in every state, with inbound messages and agent replies over the last 90 days.
      const ticketCount = index < demoPagePeople.length ? 2 : Math.floor(random() * 3);
      for (let t = 0; t < ticketCount; t++) {
        const openedAt = now - Math.floor(random() * 90 * day);
        const status = (['open', 'pending', 'resolved', 'closed'] as const)[(index + t) % 4]!;
        const assignee = agents[Math.floor(random() * 2)]!;
        const replyAt = openedAt + Math.floor((0.2 + random() * 30) * 3_600_000);
        const responded = status !== 'open' || random() < 0.5;
        const resolvedAt = status === 'resolved' || status === 'closed' ? replyAt + Math.floor(random() * 3 * day) : null;
        const channel = (['email', 'x', 'review', 'email'] as const)[Math.floor(random() * 4)]!;
        const subject = subjects[Math.floor(random() * subjects.length)]!;
        const { id: ticketId } = await trx
          .insertInto('tickets')
          .values({
            customer_id: id,
            subject,
            status,
            reopen_count: random() < 0.1 ? 1 : 0,
            priority: (['low', 'normal', 'normal', 'high'] as const)[Math.floor(random() * 4)]!,
            channel,
            assignee_id: assignee,
            first_response_at: responded ? replyAt : null,
            resolved_at: resolvedAt,
            source_url: null,
            source_key: null,
            details: '{}',
            created_at: openedAt,
            updated_at: resolvedAt ?? openedAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const entries = [
          { channel: 'ticket', direction: 'internal' as const, at: openedAt, summary: `Ticket #${ticketId} opened: ${subject}`, agent: assignee },
          { channel, direction: 'inbound' as const, at: openedAt - 60_000, summary: subject, agent: null },
          ...(responded ? [{ channel, direction: 'outbound' as const, at: replyAt, summary: `Re: ${subject}`, agent: assignee }] : []),
          ...(resolvedAt ? [{ channel: 'ticket', direction: 'internal' as const, at: resolvedAt, summary: `Ticket #${ticketId} ${status}`, agent: assignee }] : []),
        ];
        await trx
          .insertInto('interactions')
          .values(entries.map((e, k) => ({ customer_id: id, channel: e.channel, direction: e.direction, occurred_at: e.at, summary: e.summary, excerpt: null, url: null, external_id: `seed:${ticketId}:${k}`, agent_id: e.agent, ticket_id: ticketId, created_at: e.at })))
          .execute();
      }
      // Some resolved tickets got a satisfaction answer (CSAT or NPS), so the dashboard and the
      // sidebar show real numbers on a fresh demo.
      const resolvedTickets = await trx.selectFrom('tickets').select(['id', 'resolved_at']).where('customer_id', '=', id).where('resolved_at', 'is not', null).execute();
      for (const ticket of resolvedTickets) {
        if (random() > 0.6) continue;
        const scale = random() < 0.6 ? ('csat' as const) : ('nps' as const);
        const score = scale === 'csat' ? 1 + Math.floor(random() ** 0.5 * 5) : Math.floor(random() ** 0.5 * 11);
        const max = scale === 'csat' ? 5 : 10;
        const low = scale === 'csat' ? score <= 2 : score <= 6;
        const comment = low ? 'It took too long and I had to write twice.' : random() < 0.5 ? 'Quick and kind, thank you!' : null;
        const at = Math.min(now, (ticket.resolved_at ?? now) + Math.floor(random() * 2 * day));
        const { id: surveyId } = await trx
          .insertInto('surveys')
          .values({ token: randomBytes(24).toString('base64url'), ticket_id: ticket.id, customer_id: id, scale, score, comment, locale: person.locale, created_by_agent_id: agent.id, created_at: ticket.resolved_at ?? at, answered_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('interactions').values({ customer_id: id, channel: 'survey', direction: 'inbound', occurred_at: at, summary: `${scale.toUpperCase()} ${score}/${max} for ticket #${ticket.id}`, excerpt: comment, url: null, external_id: `survey:${surveyId}`, agent_id: null, ticket_id: ticket.id, created_at: at }).execute();
      }
      if (index < demoPagePeople.length || random() < 0.3) {
        const at = now - Math.floor(random() * 60 * day);
        const body = index === 0 ? 'Prefers email over phone. Second damaged parcel this year: escalate to the courier.' : 'Asked to be called back in the afternoon.';
        const { id: noteId } = await trx.insertInto('notes').values({ customer_id: id, agent_id: agent.id, body, created_at: at }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('interactions').values({ customer_id: id, channel: 'note', direction: 'internal', occurred_at: at, summary: body.slice(0, 200), excerpt: body, url: null, external_id: `note:${noteId}`, agent_id: agent.id, ticket_id: null, created_at: at }).execute();
      }
    }
    return token;
  });
  writeToken(tokenFile, token);
  if (options.log) console.log(`Seeded the demo workspace: ${people.length} customers, agent ${DEMO_AGENT.name} <${DEMO_AGENT.email}>`);
  return token;
}

function writeToken(file: string, token: string) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
}
