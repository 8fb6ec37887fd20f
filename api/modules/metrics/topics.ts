import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connection';
import { reportDeadline } from '../../db/query-guard';
import type { BucketPlan } from './buckets';
import { lowerAscii } from './sql-dialect';

/** Top topics of a range: ticket tags and subject words, against the period before (dashboard "Top topics"). */

export interface TopicRow {
  topic: string;
  /** Tickets created in the range carrying the topic. */
  current: number;
  /** Tickets created in the period of the same length before. */
  previous: number;
  list: 'top' | 'rising';
}

/**
 * The top 10 topics of the range and the 5 that grew most against the previous period.
 * `topics` yields (grp, cur 1|0, n, topic): `n` tickets of the period `cur` share the text `grp`
 * (a subject, a details document) from which `topic` was read. Topics depend on that text only,
 * so each distinct text is split once, and a ticket still counts once per topic: a topic found
 * twice in one text is counted once (the `distinct`). `ctes` are extra CTEs it reads (ending in a comma).
 */
async function rankTopics(conn: Db, topics: RawBuilder<unknown>, ctes: RawBuilder<unknown> = sql``): Promise<TopicRow[]> {
  const collate = conn.kind === 'postgres' ? sql.raw(' collate "C"') : sql.raw('');
  const { rows } = await sql<TopicRow>`
    with recursive ${ctes}
    topics as (${topics}),
    counts as (
      select topic, coalesce(sum(case when cur = 1 then n end), 0) as current,
        coalesce(sum(case when cur = 0 then n end), 0) as previous
      from (select distinct grp, cur, n, topic from topics where topic <> '') d group by topic
    )
    select * from (select topic, current, previous, 'top' as list from counts where current > 0
                   order by current desc, previous asc, topic${collate} limit 10) top_topics
    union all
    select * from (select topic, current, previous, 'rising' as list from counts where current > previous
                   order by current - previous desc, current desc, topic${collate} limit 5) rising_topics`.execute(conn.db);
  return rows.map((r) => ({ topic: r.topic, current: Number(r.current), previous: Number(r.previous), list: r.list }));
}

/**
 * Tickets created in the range (cur 1) or the period before (cur 0), one row per distinct
 * `column` text and period with its ticket count n; the text is both `grp` and `column`.
 */
function ticketGroups(plan: BucketPlan, column: 'details' | 'subject') {
  const c = sql.raw(column);
  return sql`(select ${c} as grp, ${c}, cur, count(*) as n
    from (select ${c}, case when created_at >= ${plan.start} then 1 else 0 end as cur
          from tickets where created_at >= ${plan.previousStart} and created_at < ${plan.end}) period_tickets
    group by ${c}, cur)`;
}

/** Ticket tags: the string entries of `details.tags` (review sites' tags, or set by an import), ASCII-lower-cased. */
export async function topTags(conn: Db, plan: BucketPlan): Promise<TopicRow[]> {
  const groups = ticketGroups(plan, 'details');
  const topics =
    conn.kind === 'postgres'
      ? sql`select t.grp, t.cur, t.n, ${lowerAscii(conn, sql`trim(j.value #>> '{}')`)} as topic
            from ${groups} t
            cross join lateral jsonb_array_elements(
              case when jsonb_typeof(t.details::jsonb -> 'tags') = 'array' then t.details::jsonb -> 'tags' else '[]'::jsonb end
            ) as j(value)
            where jsonb_typeof(j.value) = 'string'`
      : sql`select t.grp, t.cur, t.n, ${lowerAscii(conn, sql`trim(j.value)`)} as topic
            from ${groups} t, json_each(case when json_valid(t.details) then t.details else '{}' end, '$.tags') j
            where json_type(t.details, '$.tags') = 'array' and j.type = 'text'`;
  return rankTopics(conn, topics);
}

/** Characters that separate words in a subject (besides spaces), Latin and Arabic-script punctuation. */
const SEPARATORS = ['\t', '\n', '\r', '.', ',', ':', ';', '!', '?', '"', "'", '(', ')', '[', ']', '{', '}', '/', '\\', '-', '_', '#', '@', '&', '*', '+', '=', '<', '>', '|', '~', '’', '‘', '“', '”', '«', '»', '،', '؛', '؟', '…'];

/** Words too common to be a topic (English, Turkish, Arabic, Persian); words shorter than 3 letters are dropped too. */
export const STOP_WORDS = [
  'the', 'and', 'for', 'you', 'your', 'with', 'not', 'are', 'was', 'has', 'have', 'this', 'that', 'from', 'but', 'can', 'cannot',
  'can’t', 'where', 'what', 'when', 'how', 'why', 'who', 'our', 'out', 'about', 'after', 'all', 'any', 'been', 'did', 'does',
  'get', 'got', 'into', 'its', 'just', 'need', 'needs', 'now', 'off', 'one', 'only', 'please', 'still', 'than', 'then', 'there',
  'they', 'too', 'very', 'will', 'would', 'there', 'again', 'question', 'help', 'issue', 'problem',
  'bir', 've', 'ile', 'için', 'bu', 'çok', 'ama', 'daha', 'gibi', 'olarak', 'hala', 'neden',
  'في', 'من', 'على', 'إلى', 'عن', 'هذا', 'هذه', 'لم', 'مع', 'تم', 'لقد', 'الى',
  'در', 'به', 'از', 'که', 'این', 'را', 'با', 'است', 'برای', 'آن', 'یک', 'هم', 'تا', 'نه', 'من',
];

/** Words of ticket subjects (ASCII-lower-cased, split on spaces and punctuation, at least 3 letters, no stop words). */
export async function topSubjectWords(conn: Db, plan: BucketPlan): Promise<TopicRow[]> {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  let normalized = 't.subject';
  for (const ch of SEPARATORS) normalized = `replace(${normalized}, ${quote(ch)}, ' ')`;
  const subject = lowerAscii(conn, sql.raw(normalized));
  const groups = ticketGroups(plan, 'subject');
  const stop = sql.join([...new Set(STOP_WORDS)]);
  if (conn.kind === 'postgres') {
    return rankTopics(
      conn,
      sql`select t.grp, t.cur, t.n, w.word as topic
          from ${groups} t cross join lateral unnest(string_to_array(${subject}, ' ')) as w(word)
          where length(w.word) >= 3 and w.word not in (${stop})`,
    );
  }
  // SQLite has no split function: a recursive CTE peels one word off the subject per step.
  // Every step must shorten `rest` (issue 18): SQLite's instr() stops at a NUL, so on
  // 'a\0b ' it found no space, substr(rest, 1) gave `rest` back unchanged and the recursion
  // never ended (one stored subject hung the process). A step now needs a space to cut at, so
  // the recursion is at most one step per character; `rafiq_guard` (api/db/connection.ts)
  // bounds it in time as well.
  return rankTopics(
    conn,
    sql`select grp, cur, n, word as topic from words where length(word) >= 3 and word not in (${stop})`,
    sql`src(grp, cur, n, rest) as (
          select t.grp, t.cur, t.n, ${subject} || ' ' from ${groups} t
        ),
        words(grp, cur, n, word, rest) as (
          select grp, cur, n, '', rest from src
          union all
          select grp, cur, n, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) from words where instr(rest, ' ') > 0 and rafiq_guard(${reportDeadline()})
        ),`,
  );
}
