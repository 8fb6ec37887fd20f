import { sql } from 'kysely';
import { foldName } from '@shared/normalize';
import { foldBreaks } from '@shared/text';
import { detectLanguage } from '@shared/reply-language';
import type { Db, ReplyHistoryTable } from '../../db/database';
import { isPostgres, searchWords } from '../customers/search-index';

/**
 * Reply history and suggested replies (issue 22). Local, no outside service.
 *
 * Retrieval reads an inverted index (SQLite FTS5 / PostgreSQL `reply_postings`) over the folded
 * words of each past incoming message — folded by `searchWords`, the same folding as customer
 * search (Arabic/Persian letter variants, Turkish dotted/dotless i, diacritics). Candidates and
 * ranking are computed in this file from the same postings, so both databases rank the same way:
 * set-cosine of the words, boosted for the same customer, channel and language, then grouped by
 * the reply (a template counts once however often it was used; its uses add up).
 */

/** Words too common to say anything about what a message asks (en/ar/fa/tr), folded. */
const STOPWORDS = new Set(
  (
    'the a an and or to of in on for is are was were be been it this that my me i you your we our us with at from by as have has had do does did not no but so if can could would will please hi hello dear thanks thank ' +
    'و في من على الى إلى عن ان أن هذا هذه ما لا لم مع انا أنا هل كان قد او أو يا مرحبا شكرا السلام عليكم ' +
    'و در به از که را با این آن است برای من ما شما هم یا تا بر هست نه سلام ممنون لطفا ' +
    've ile bu bir için da de mi mı ne çok ben siz biz merhaba lütfen teşekkürler'
  )
    .split(/\s+/)
    .map((w) => foldName(w)),
);

/**
 * The index terms of a message: folded words minus stopwords, plus each long word's first five
 * letters (Turkish and Persian glue suffixes: "siparişim"/"siparişimi" share "sipar"), plus
 * Arabic words without the glued article ("الطلب" also as "طلب").
 */
export function historyTerms(text: string, max = 300): string[] {
  const terms = new Set<string>();
  // ZWNJ is a word break when folding (shared/text.ts): "می‌رسد" and "می رسد" are the same words.
  for (const word of searchWords(foldBreaks(text))) {
    if (STOPWORDS.has(word) || word.length > 60) continue;
    const bare = word.length >= 4 && word.startsWith('ال') ? word.slice(2) : word;
    terms.add(bare);
    if (bare.length > 5 && !/^\d+$/.test(bare)) terms.add(bare.slice(0, 5));
    if (terms.size >= max) break;
  }
  return [...terms];
}

export type ReplySource = ReplyHistoryTable['source'];
export interface NewReplyHistory {
  customerId: number | null;
  ticketId: number | null;
  agentId: number | null;
  templateId: number | null;
  channel: string;
  language: string | null;
  incoming: string;
  reply: string;
  source: ReplySource;
  usedAt: number;
}

/** Records replies (bulk: one statement per chunk) with their search terms. */
export async function recordReplies(db: Db, items: readonly NewReplyHistory[]): Promise<number[]> {
  const ids: number[] = [];
  const pg = isPostgres(db);
  for (let i = 0; i < items.length; i += 500) {
    const part = items.slice(i, i + 500);
    const values = part.map((r) => ({
      customer_id: r.customerId,
      ticket_id: r.ticketId,
      agent_id: r.agentId,
      template_id: r.templateId,
      channel: r.channel,
      language: r.language ?? detectLanguage(r.incoming),
      incoming: r.incoming,
      reply: r.reply,
      source: r.source,
      used_at: r.usedAt,
    }));
    const terms = part.map((r) => historyTerms(r.incoming).join(' '));
    if (pg) {
      const rows = await db.insertInto('reply_history').values(values).returning('id').execute();
      const postingTerms: string[] = [];
      const postingIds: number[] = [];
      rows.forEach((r, k) => {
        for (const term of terms[k]!.split(' ').filter(Boolean)) {
          postingTerms.push(term);
          postingIds.push(r.id);
        }
      });
      await sql`insert into reply_postings (term, history_id) select * from unnest(${postingTerms}::text[], ${postingIds}::int[])`.execute(db);
      ids.push(...rows.map((r) => r.id));
    } else {
      const rows = await db.insertInto('reply_history').values(values).returning('id').execute();
      const docs = rows.map((r, k) => sql`(${r.id}, ${terms[k]!})`);
      await sql`insert into reply_history_search (rowid, terms) values ${sql.join(docs)}`.execute(db);
      ids.push(...rows.map((r) => r.id));
    }
    await countTerms(db, terms.map((t) => t.split(' ').filter(Boolean)));
  }
  return ids;
}

/** Adds these messages' terms to the document frequencies (one upsert per chunk). */
async function countTerms(db: Db, docs: readonly string[][]): Promise<void> {
  const counts = new Map<string, number>([['', docs.length]]);
  for (const doc of docs) for (const term of new Set(doc)) counts.set(term, (counts.get(term) ?? 0) + 1);
  const rows = [...counts].map(([term, df]) => ({ term, df }));
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('reply_terms')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.column('term').doUpdateSet({ df: sql`reply_terms.df + excluded.df` }))
      .execute();
  }
}

/**
 * Document frequencies of `terms` and the history's size (the empty term counts every message).
 * With `known`, only the terms it does not hold yet are read, and the answer includes it (the
 * ranking extends the query's frequencies with its candidates' words).
 */
async function documentFrequencies(db: Db, terms: readonly string[], known?: Frequencies): Promise<Frequencies> {
  const df = new Map(known?.df);
  const unique = [...new Set(terms)].filter((term) => !df.has(term));
  if (!known) unique.push('');
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db.selectFrom('reply_terms').select(['term', 'df']).where('term', 'in', unique.slice(i, i + 5000)).execute();
    for (const r of rows) df.set(r.term, Number(r.df));
  }
  return { df, total: known?.total ?? Math.max(1, df.get('') ?? 1) };
}
interface Frequencies {
  df: Map<string, number>;
  total: number;
}

/** Inverse document frequency (ln(1 + N / df)); unseen terms weigh like df = 1. */
function idf(frequencies: Frequencies): (term: string) => number {
  return (term) => Math.log(1 + frequencies.total / Math.max(1, frequencies.df.get(term) ?? 1));
}

/** How many candidates go on to the ranking: enough for the votes of one reply to add up, bounded for speed. */
const CANDIDATES = 200;
/**
 * How much the other uses of the same reply add to its best match (log-damped). 200 candidates
 * and 0.3 were picked once on the labeled set at 20k history rows (80/0.15 gave 71%, 200/0.3 82%):
 * say so when quoting its hit rate.
 */
const AGG = 0.3;
/**
 * At most this many of the message's words are looked up (the rarest first). Common words are
 * read too: a past message that says the same thing in the same everyday words ("where", "still",
 * "أين") is the best evidence there is.
 */
const QUERY_TERMS = 16;
/** The most recent postings read per word: bounds the work whatever the history's size. */
const POSTINGS_PER_TERM = 4000;

/**
 * History ids whose incoming message shares the most words with the message, best first, ties to
 * the most recent; the ranking below then weighs the words. Candidates are chosen by how many of
 * the message's words they hold, not by those words' rarity: on the labeled set at 100k history
 * rows an IDF-weighted choice filled the 200 places with short unrelated messages that happened
 * to hold one rare word (62.5% top-3; counting words gives 80.5%), and an engine rank (bm25) did
 * the same on SQLite only (64.8%), so the two databases disagreed. Now both read the same
 * postings and hand the ranking the same candidates. Each word's postings come newest first,
 * bounded, from SQLite's FTS5 index or PostgreSQL's `reply_postings` primary key.
 */
async function candidateIds(db: Db, terms: readonly string[], frequencies: Frequencies): Promise<number[]> {
  const dfOf = (t: string) => frequencies.df.get(t) ?? 0;
  // Unseen words have no postings: nothing to read.
  const words = [...new Set(terms)]
    .filter((t) => dfOf(t) > 0)
    .sort((a, b) => dfOf(a) - dfOf(b) || b.length - a.length || (a < b ? -1 : 1))
    .slice(0, QUERY_TERMS);
  if (!words.length) return [];
  const shared = new Map<number, number>();
  for (const ids of await readPostings(db, words)) for (const id of ids) shared.set(id, (shared.get(id) ?? 0) + 1);
  // Bucket by the number of shared words (≤ QUERY_TERMS), newest first inside a bucket.
  const buckets: number[][] = Array.from({ length: words.length + 1 }, () => []);
  for (const [id, n] of shared) buckets[n]!.push(id);
  const out: number[] = [];
  for (let n = words.length; n > 0 && out.length < CANDIDATES; n--) {
    out.push(...buckets[n]!.sort((a, b) => b - a).slice(0, CANDIDATES - out.length));
  }
  return out;
}

/** For each word, the ids of the most recent history messages holding it. */
async function readPostings(db: Db, words: readonly string[]): Promise<number[][]> {
  const out: number[][] = words.map(() => []);
  if (isPostgres(db)) {
    // One round trip; each word's newest postings come off the (term, history id) primary key in order.
    const rows = await sql<{ k: string; id: number }>`select w.k, p.history_id as id from unnest(${[...words]}::text[]) with ordinality as w(word, k)
      cross join lateral (select history_id from reply_postings where term = w.word order by history_id desc limit ${POSTINGS_PER_TERM}) p`.execute(db);
    for (const r of rows.rows) out[Number(r.k) - 1]!.push(Number(r.id));
    return out;
  }
  // FTS5 walks a word's postings in rowid order, so "newest first, bounded" costs only what it reads.
  for (let k = 0; k < words.length; k++) {
    const rows = await sql<{ id: number }>`select rowid as id from reply_history_search
      where reply_history_search match ${`"${words[k]!.replace(/"/g, '""')}"`} order by rowid desc limit ${POSTINGS_PER_TERM}`.execute(db);
    out[k] = rows.rows.map((r) => Number(r.id));
  }
  return out;
}

export interface SuggestionTemplate {
  id: number;
  name: string;
  shortcut: string;
  /** Bodies by language (the default body under its own language). */
  bodies: { language: string; body: string }[];
}

export interface RankedSuggestion {
  kind: 'template' | 'history';
  templateId: number | null;
  /** History: the reply as sent. Template: null (rendered for this customer by the caller). */
  reply: string | null;
  score: number;
  /** The past reply this suggestion stands on, when it comes from history. */
  source: { historyId: number; ticketId: number | null; at: number; agentName: string | null; sameCustomer: boolean } | null;
}

/** Cosine of two term sets, each term weighted by its IDF (rare words say more than "order"). */
function cosine(a: ReadonlySet<string>, b: ReadonlySet<string>, weight: (term: string) => number = () => 1): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  let na = 0;
  let nb = 0;
  for (const t of a) {
    const w = weight(t) ** 2;
    na += w;
    if (b.has(t)) shared += w;
  }
  for (const t of b) nb += weight(t) ** 2;
  return shared / Math.sqrt(na * nb);
}

/**
 * Up to `limit` replies for `incoming`: from this customer's and similar past replies and from
 * templates, best first. Pure ranking over what the index and the customer's recent history give.
 */
export async function suggestReplies(
  db: Db,
  input: { customerId: number | null; channel: string; incoming: string; language: string | null; limit: number },
  templates: readonly SuggestionTemplate[],
): Promise<RankedSuggestion[]> {
  const query = new Set(historyTerms(input.incoming));
  const language = input.language ?? detectLanguage(input.incoming);
  const queryFrequencies = await documentFrequencies(db, [...query]);
  const ids = new Set(await candidateIds(db, [...query], queryFrequencies));
  if (input.customerId !== null) {
    const own = await db.selectFrom('reply_history').select('id').where('customer_id', '=', input.customerId).orderBy('used_at', 'desc').limit(20).execute();
    for (const r of own) ids.add(r.id);
  }
  const rows = ids.size
    ? await db
        .selectFrom('reply_history')
        .leftJoin('agents', 'agents.id', 'reply_history.agent_id')
        .select([
          'reply_history.id',
          'reply_history.customer_id',
          'reply_history.ticket_id',
          'reply_history.template_id',
          'reply_history.channel',
          'reply_history.language',
          'reply_history.incoming',
          'reply_history.reply',
          'reply_history.used_at',
          'agents.name as agent_name',
        ])
        .where('reply_history.id', 'in', [...ids])
        .execute()
    : [];

  const docTerms = new Map(rows.map((row) => [row.id, new Set(historyTerms(row.incoming))]));
  const weight = idf(await documentFrequencies(db, [...docTerms.values()].flatMap((d) => [...d]), queryFrequencies));
  const templateIds = new Set(templates.map((t) => t.id));
  const groups = new Map<string, { best: RankedSuggestion; total: number }>();
  const add = (key: string, suggestion: RankedSuggestion) => {
    const group = groups.get(key);
    if (!group) groups.set(key, { best: suggestion, total: suggestion.score });
    else {
      group.total += suggestion.score;
      if (suggestion.score > group.best.score) group.best = { ...suggestion };
    }
  };
  for (const row of rows) {
    let score = cosine(query, docTerms.get(row.id)!, weight);
    if (score <= 0) continue;
    const sameCustomer = input.customerId !== null && row.customer_id === input.customerId;
    if (sameCustomer) score *= 1.25;
    if (row.channel === input.channel) score *= 1.1;
    const isTemplate = row.template_id !== null && templateIds.has(row.template_id);
    // A past free-text reply in another language is of no use as it is; a template has variants.
    if (!isTemplate && language && row.language && row.language !== language) score *= 0.3;
    const source = { historyId: row.id, ticketId: row.ticket_id, at: Number(row.used_at), agentName: row.agent_name ?? null, sameCustomer };
    if (isTemplate) add(`t:${row.template_id}`, { kind: 'template', templateId: row.template_id, reply: null, score, source });
    else add(`r:${foldName(row.reply)}`, { kind: 'history', templateId: null, reply: row.reply, score, source });
  }
  // Templates on their own words too (a template nobody used yet can still be the answer).
  for (const template of templates) {
    const body = template.bodies.find((b) => b.language === language) ?? template.bodies[0];
    if (!body) continue;
    const score = 0.6 * cosine(query, new Set(historyTerms(`${template.name} ${body.body.replace(/\{\{[^}]*\}\}/g, ' ')}`)), weight);
    if (score > 0) add(`t:${template.id}`, { kind: 'template', templateId: template.id, reply: null, score, source: null });
  }
  return [...groups.values()]
    // Uses add up, with diminishing weight: the best match counts fully, the rest a little.
    .map((g) => ({ ...g.best, score: g.best.score + AGG * Math.log1p(g.total - g.best.score) }))
    .sort((a, b) => b.score - a.score || (b.source?.at ?? 0) - (a.source?.at ?? 0))
    .slice(0, input.limit);
}

/** The baseline the benchmark compares with: the most recently used template of the channel. */
export async function latestTemplateOfChannel(db: Db, channel: string, before?: number): Promise<number | null> {
  let query = db.selectFrom('reply_history').select('template_id').where('channel', '=', channel).where('template_id', 'is not', null);
  if (before !== undefined) query = query.where('used_at', '<', before);
  const row = await query.orderBy('used_at', 'desc').limit(1).executeTakeFirst();
  return row?.template_id ?? null;
}
