import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csvField, guardCsvText, toCsv, unguardCsvText } from '@shared/csv';

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

  // Issue 18 item 7: a spreadsheet in a semicolon locale, or a paste as tab-separated text,
  // splits a cell at ; tab CR LF (and ,): every piece that would start with a formula is guarded.
  test.each([
    { value: 'vip;=HYPERLINK("http://evil")', want: `"vip;'=HYPERLINK(""http://evil"")"` },
    { value: 'Ali;=1+1', want: "Ali;'=1+1" },
    { value: 'a; @SUM(A1)', want: "a; '@SUM(A1)" },
    { value: 'a\t+cmd', want: "a\t'+cmd" },
    { value: 'a\n-cmd', want: `"a\n'-cmd"` },
    { value: 'a\r=cmd', want: `"a\r'=cmd"` },
    { value: 'a,=cmd', want: `"a,'=cmd"` },
    { value: '\tleading tab', want: "'\tleading tab" },
    { value: '\rleading cr', want: `"'\rleading cr"` },
    { value: "'=already quoted", want: "''=already quoted" },
    { value: "'Tis Tea", want: "'Tis Tea" },
    { value: 'a-b;c@d.example', want: 'a-b;c@d.example' },
  ])('guards every cell a spreadsheet could split: $value', ({ value, want }) => {
    expect(csvField(value)).toBe(want);
  });

  test('the import undoes exactly what the guard added, for any text (fast-check, seed 18)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', "'", ' ', '=', '+', '-', '@', ';', ',', '\t', '\r', '\n', 'ب'), maxLength: 12 });
    fc.assert(
      fc.property(text, (t) => {
        const guarded = guardCsvText(t);
        expect(unguardCsvText(guarded)).toBe(t);
        // No piece a spreadsheet could split off starts with a formula character.
        for (const piece of guarded.split(/[,;\t\r\n]/)) expect(piece.trimStart()).not.toMatch(/^[=+\-@]/);
      }),
      { seed: 18, numRuns: 2000 },
    );
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
