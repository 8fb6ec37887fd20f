import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csvField, guardCsvText } from '@shared/csv';
// The reader moved next to the import (it reads with csv-parse, a Node stream); same contract.
import { readCsv } from '../../api/modules/customers/import/csv-records';

async function read(text: string, chunk = 1 << 16) {
  async function* chunks() {
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.slice(i, i + chunk);
  }
  const out = [];
  for await (const record of readCsv(chunks())) out.push(record);
  return out;
}

describe('readCsv (RFC 4180, streamed)', () => {
  test.each([
    { name: 'CRLF and LF', text: 'a,b\r\n1,2\n3,4', want: [['a', 'b'], ['1', '2'], ['3', '4']] },
    { name: 'quotes, commas, doubled quotes, line breaks', text: '"x, y","say ""hi""","two\r\nlines"\r\n', want: [['x, y', 'say "hi"', 'two\r\nlines']] },
    { name: 'empty fields and a blank line', text: ',,\r\n\r\nz,,\r\n', want: [['', '', ''], ['z', '', '']] },
    { name: 'byte-order mark and Arabic', text: '\ufeffname\r\nليلى حداد\r\n', want: [['name'], ['ليلى حداد']] },
    { name: 'quoted empty field at the end', text: 'a,""', want: [['a', '']] },
  ])('$name', async ({ text, want }) => {
    expect((await read(text)).map((r) => r.fields)).toEqual(want);
  });

  test('line numbers count line breaks inside quotes', async () => {
    expect((await read('h\r\n"a\nb"\r\nc\r\n')).map((r) => r.line)).toEqual([1, 2, 4]);
  });

  test.each([
    { text: 'a"b\r\n', error: /quote inside an unquoted field/ },
    { text: '"a"b\r\n', error: /text after a closing quote/ },
    { text: '"never closed\r\n', error: /never closed/ },
  ])('rejects $text', async ({ text, error }) => {
    await expect(read(text)).rejects.toThrow(error);
  });

  test('any table written with csvField reads back the same, whatever the chunk size (fast-check)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ب', ',', '"', '\r', '\n', ' ', 'é', '😀'), maxLength: 8 }).filter((s) => guardCsvText(s) === s); // the guard's own round trip is in csv.test.ts
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }).filter((rows) => rows.every((r) => r.some((c) => c !== '')));
    await fc.assert(
      fc.asyncProperty(table, fc.integer({ min: 1, max: 9 }), async (rows, chunk) => {
        const text = rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
        expect((await read(text, chunk)).map((r) => r.fields)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
