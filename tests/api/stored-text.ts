import { sql } from 'kysely';
import type { Db } from '../../api/db/connection';
import { hasStrippedCharacters } from '../../shared/text';

/**
 * Every stored text value that holds a character the boundary policy strips (issue 18: "strip or
 * refuse, never store"), as `table.column #rowid`. Reads every text column of every table, so a
 * column added tomorrow is checked tomorrow.
 */
export async function storedTextViolations(conn: Db, limit = 20): Promise<string[]> {
  const columns =
    conn.kind === 'sqlite'
      ? (
          await sql<{ t: string; c: string }>`
            select m.name as t, p.name as c from sqlite_master m, pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%'
              and (upper(p.type) like '%TEXT%' or upper(p.type) like '%CHAR%' or p.type = '')`.execute(conn.db)
        ).rows
      : (
          await sql<{ t: string; c: string }>`
            select table_name as t, column_name as c from information_schema.columns
            where table_schema = current_schema() and table_name not like 'kysely_%'
              and data_type in ('text', 'character varying', 'json', 'jsonb')`.execute(conn.db)
        ).rows;
  const found: string[] = [];
  for (const { t, c } of columns) {
    const { rows } = await sql<{ v: unknown }>`select ${sql.ref(c)} as v from ${sql.table(t)}`.execute(conn.db);
    for (const [index, row] of rows.entries()) {
      if (typeof row.v !== 'string') continue;
      // JSON columns hold escapes ("\u0000"), not the characters: decode them before checking.
      const text = row.v.startsWith('{') || row.v.startsWith('[') ? safeDecode(row.v) : row.v;
      if (hasStrippedCharacters(text)) found.push(`${t}.${c} row ${index + 1}: ${JSON.stringify(text.slice(0, 80))}`);
      if (found.length >= limit) return found;
    }
  }
  return found;
}

function safeDecode(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), (_key, value: unknown) => value).replace(/\\u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  } catch {
    return json;
  }
}
