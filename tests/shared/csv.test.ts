import { describe, expect, test } from 'vitest';
import { csvField, toCsv } from '@shared/csv';

describe('CSV export', () => {
  test.each([
    { value: 'plain', want: 'plain' },
    { value: 'a,b', want: '"a,b"' },
    { value: 'say "hi"', want: '"say ""hi"""' },
    { value: 'two\nlines', want: '"two\nlines"' },
    { value: 'cr\rlf', want: '"cr\rlf"' },
    { value: '=HYPERLINK("http://evil")', want: `"'=HYPERLINK(""http://evil"")"` },
    { value: '+1 415 555', want: "'+1 415 555" },
    { value: '-cmd', want: "'-cmd" },
    { value: '@SUM(A1)', want: "'@SUM(A1)" },
    { value: 'نور السيد', want: 'نور السيد' },
    { value: -25, want: '-25' },
    { value: 12.5, want: '12.5' },
    { value: Number.NaN, want: '' },
    { value: null, want: '' },
    { value: undefined, want: '' },
    { value: true, want: 'true' },
  ] satisfies { value: string | number | boolean | null | undefined; want: string }[])('$value → $want', ({ value, want }) => {
    expect(csvField(value)).toBe(want);
  });

  test('a table is CRLF-separated records with a header', () => {
    expect(toCsv(['agent', 'tickets', 'note'], [['Ada', 3, 'ok'], ['Ben, Jr.', 0, null]])).toBe('agent,tickets,note\r\nAda,3,ok\r\n"Ben, Jr.",0,\r\n');
  });

  test('round-trips through a strict RFC 4180 reader', () => {
    const rows = [['a"b', 'c,d', 'e\r\nf', ''], ['x', '', 'y', 'z']];
    const parsed = parseCsv(toCsv(['1', '2', '3', '4'], rows));
    expect(parsed.slice(1)).toEqual(rows);
  });
});

/** A small strict reader, only for the round trip above. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return records;
}
