import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse, CsvError as ParserError } from 'csv-parse';

/**
 * CSV records off a byte stream, read with `csv-parse` (RFC 4180: CRLF or LF, quoted fields may
 * hold commas, doubled quotes and line breaks; a UTF-8 byte-order mark is dropped). Streamed: the
 * parser holds at most one record (`maxRecordBytes`, so an unclosed quote cannot swallow the
 * file) and the stream's buffers, whatever the file's size.
 *
 * Strict where a lenient reader would silently corrupt data: a quote inside an unquoted field,
 * text after a closing quote, an unclosed quote and an oversized record are errors naming the
 * line. A record whose field count differs from the header is not an error here: the import
 * rejects that one row.
 *
 * Bytes that are not UTF-8 (a file saved as Latin-1 / Windows-1252) are **not** decoded into
 * U+FFFD: every line is checked before parsing and a record touching a bad line is returned
 * with `notUtf8` set, so the import rejects it with its line number instead of storing damaged
 * text. We reject rather than guess an 8-bit code page: Latin-1, Windows-1252 and Windows-1254
 * (Turkish) share the bytes and differ in the letters, so a guess would change names silently.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts (line breaks inside quotes count). */
  line: number;
  /** Bytes of input read so far (for a progress bar). */
  offset: number;
  /** The first line of this record holding bytes that are not UTF-8. */
  notUtf8?: number;
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

const LF = 0x0a;

/**
 * Passes the bytes through cut at line ends (LF is never part of a multi-byte UTF-8 sequence,
 * so each piece can be checked alone) and notes the physical lines that are not UTF-8.
 * At most one unfinished line is carried between chunks; a line longer than `maxLineBytes`
 * goes through unchecked and the parser refuses it as an oversized record.
 */
async function* checkedUtf8(input: AsyncIterable<Uint8Array | string>, badLines: number[], maxLineBytes: number): AsyncGenerator<Buffer> {
  let linesBefore = 0;
  let carry: Buffer | null = null;
  const check = (piece: Buffer) => {
    if (!isUtf8(piece)) {
      let start = 0;
      let line = linesBefore;
      for (;;) {
        const end = piece.indexOf(LF, start);
        line++;
        if (!isUtf8(piece.subarray(start, end < 0 ? piece.length : end))) badLines.push(line);
        if (end < 0) break;
        start = end + 1;
      }
    }
    for (let i = piece.indexOf(LF); i >= 0; i = piece.indexOf(LF, i + 1)) linesBefore++;
  };
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry) bytes = Buffer.concat([carry, bytes]);
    const lastLf = bytes.lastIndexOf(LF);
    if (lastLf < 0 && bytes.length <= maxLineBytes) {
      carry = bytes;
      continue;
    }
    const cut = lastLf < 0 ? bytes.length : lastLf + 1;
    const piece = bytes.subarray(0, cut);
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : null;
    check(piece);
    yield piece;
  }
  if (carry) {
    check(carry);
    yield carry;
  }
}

function toCsvError(error: unknown, maxRecordBytes: number): unknown {
  if (!(error instanceof ParserError)) return error;
  const line = Number((error as ParserError & { lines?: number }).lines ?? 0);
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return new CsvError('a quote inside an unquoted field (quote the whole field and double the quote)', line);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvError('text after a closing quote', line);
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvError('a quoted field is never closed', line);
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvError(`a record is longer than ${maxRecordBytes} bytes (an unclosed quote?)`, line);
    default:
      return new CsvError(error.message.replace(/\s*at line \d+.*$/, ''), line);
  }
}

export async function* readCsv(input: AsyncIterable<Uint8Array | string>, options: { maxRecordBytes?: number } = {}): AsyncGenerator<CsvRecord> {
  const maxRecordBytes = options.maxRecordBytes ?? 1_000_000;
  const badLines: number[] = [];
  const parser = parse({
    bom: true,
    // Mixed line ends in one file (rows pasted from another tool) are all record ends.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordBytes,
    // A row with the wrong number of fields is one rejected row, not a broken file.
    relax_column_count: true,
    // Blank lines come through as [''] and are skipped below, so line numbers stay exact
    // without asking the parser for a per-record info object (which costs ~2× its parse time).
    skip_empty_lines: false,
  });
  const source = Readable.from(checkedUtf8(input, badLines, maxRecordBytes));
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let line = 1;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const start = line;
      line++;
      for (const field of fields) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) line++;
      while (badLines.length && badLines[0]! < start) badLines.shift();
      const notUtf8 = badLines.length && badLines[0]! < line ? badLines[0] : undefined;
      // A blank line is no record.
      if (fields.length === 1 && fields[0] === '' && notUtf8 === undefined) continue;
      yield { fields, line: start, offset: parser.info.bytes, ...(notUtf8 !== undefined && { notUtf8 }) };
    }
  } catch (error) {
    throw toCsvError(error, maxRecordBytes);
  } finally {
    source.destroy();
  }
}
