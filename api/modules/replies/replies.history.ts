import { sql } from 'kysely';
import { foldName } from '@shared/normalize';
import { foldBreaks } from '@shared/text';
import { detectLanguage } from '@shared/reply-language';
import type { Db, ReplyHistoryTable } from '../../db/database';
import { isPostgres, searchWords } from '../customers/search-index';

/**
 * Reply history and suggested replies (issue 22). Local, no outside service.
 *
 * Retrieval is the database's full-text index (SQLite FTS5 / PostgreSQL tsvector) over the
 * folded words of each past incoming message — folded by `searchWords`, the same folding as
 * customer search (Arabic/Persian letter variants, Turkish dotted/dotless i, diacritics). Ranking
 * is one function in this file over the candidates, so both databases rank the same way:
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
      const rows = await db
        .insertInto('reply_history')
        .values(values.map((v, k) => ({ ...v, terms: sql`array_to_tsvector(string_to_array(${terms[k]!}, ' '))` }) as never))
        .returning('id')
        .execute();
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

/** Inverse document frequency of each term (ln(1 + N / df)); unseen terms weigh like df = 1. */
async function termWeights(db: Db, terms: readonly string[]): Promise<(term: string) => number> {
  const unique = [...new Set(terms)];
  const df = new Map<string, number>();
  for (let i = 0; i < unique.length; i += 5000) {
    const part = unique.slice(i, i + 5000);
    const rows = await db.selectFrom('reply_terms').select(['term', 'df']).where('term', 'in', [...part, '']).execute();
    for (const r of rows) df.set(r.term, Number(r.df));
  }
  const total = Math.max(1, df.get('') ?? 1);
  return (term) => Math.log(1 + total / Math.max(1, df.get(term) ?? 1));
}

/** How many candidates the index hands to the ranking: enough for the votes of one reply to add up, bounded for speed. */
const CANDIDATES = 200;
/**
 * How much the other uses of the same reply add to its best match (log-damped). 200 candidates
 * and 0.3 were picked once on the labeled set at 20k history rows (80/0.15 gave 71%, 200/0.3 82%):
 * say so when quoting its hit rate.
 */
const AGG = 0.3;
const QUERY_TERMS = 24;

/** History ids whose incoming message shares words with `terms`, best first by the index's own rank. */
async function candidateIds(db: Db, terms: readonly string[]): Promise<number[]> {
  // The longest words say the most about a message; bound the query.
  const words = [...terms].sort((a, b) => b.length - a.length).slice(0, QUERY_TERMS);
  if (!words.length) return [];
  if (isPostgres(db)) {
    const tsquery = words.map((w) => `'${w.replace(/'/g, "''")}'`).join(' | ');
    const rows = await sql<{ id: number }>`select id from reply_history where terms @@ ${tsquery}::tsquery
      order by ts_rank(terms, ${tsquery}::tsquery) desc, id desc limit ${CANDIDATES}`.execute(db);
    return rows.rows.map((r) => r.id);
  }
  const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
  const rows = await sql<{ id: number }>`select rowid as id from reply_history_search
    where reply_history_search match ${match} order by bm25(reply_history_search), rowid desc limit ${CANDIDATES}`.execute(db);
  return rows.rows.map((r) => r.id);
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
  const ids = new Set(await candidateIds(db, [...query]));
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
  const weight = await termWeights(db, [...query, ...[...docTerms.values()].flatMap((d) => [...d])]);
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
