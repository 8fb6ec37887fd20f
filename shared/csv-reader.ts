/**
 * A streaming CSV reader (RFC 4180): records separated by CRLF or LF, fields by commas, a field
 * in double quotes may hold commas, quotes (doubled) and line breaks. Reads chunks as they come
 * (a quote or a CRLF may be split across chunks) and never holds more than one record, so a
 * file of any size is read in constant memory. A UTF-8 byte-order mark is dropped.
 *
 * Deliberately strict where a lenient reader would silently corrupt data: a quote inside an
 * unquoted field, text after a closing quote, and a record longer than `maxRecordChars` (an
 * unclosed quote swallowing the file) are errors naming the line.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** Bytes of input consumed when the record ended (for a progress bar). */
  offset: number;
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

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

export async function* readCsv(
  input: AsyncIterable<Uint8Array | string>,
  options: { maxRecordChars?: number } = {},
): AsyncGenerator<CsvRecord> {
  const maxRecordChars = options.maxRecordChars ?? 1_000_000;
  const decoder = new TextDecoder('utf-8');
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  /** Just saw a quote inside a quoted field: either the closing quote or the first of a doubled pair. */
  let quotePending = false;
  /** The field was quoted and closed: only a comma or a line end may follow. */
  let closed = false;
  let fieldStarted = false;
  let recordChars = 0;
  let line = 1;
  let recordLine = 1;
  let bytes = 0;
  let first = true;
  let skipLf = false;

  const endField = () => {
    fields.push(field);
    field = '';
    closed = false;
    fieldStarted = false;
  };

  for await (const chunk of input) {
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
      bytes += chunk.length; // characters, for string input
    } else {
      text = decoder.decode(chunk, { stream: true });
      bytes += chunk.byteLength;
    }
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const records: string[][] = [];
    const lines: number[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (c === QUOTE) {
            field += '"';
            start = i + 1;
            continue;
          }
          inQuotes = false;
          closed = true;
          // fall through: c is handled as outside quotes
        } else if (c === QUOTE) {
          field += text.slice(start, i);
          quotePending = true;
          start = i + 1;
          continue;
        } else {
          if (c === LF) line++;
          continue;
        }
      }
      if (c === COMMA) {
        if (!closed) field += text.slice(start, i);
        endField();
        start = i + 1;
      } else if (c === CR || c === LF) {
        if (!closed) field += text.slice(start, i);
        endField();
        records.push(fields);
        lines.push(recordLine);
        fields = [];
        recordChars = 0;
        line++;
        recordLine = line;
        if (c === CR) skipLf = true;
        start = i + 1;
      } else if (c === QUOTE) {
        if (fieldStarted || closed || text.slice(start, i).length) {
          throw new CsvError('a quote inside an unquoted field (quote the whole field and double the quote)', line);
        }
        inQuotes = true;
        fieldStarted = true;
        start = i + 1;
      } else if (closed) {
        throw new CsvError('text after a closing quote', line);
      } else {
        fieldStarted = true;
      }
    }
    field += text.slice(start);
    recordChars += text.length;
    if (recordChars > maxRecordChars && (inQuotes || field.length > maxRecordChars)) {
      throw new CsvError(`a record is longer than ${maxRecordChars} characters (an unclosed quote?)`, recordLine);
    }
    for (let r = 0; r < records.length; r++) {
      const fieldsOf = records[r]!;
      // A blank line is no record.
      if (fieldsOf.length === 1 && fieldsOf[0] === '') continue;
      yield { fields: fieldsOf, line: lines[r]!, offset: bytes };
    }
  }
  const tail = decoder.decode();
  if (tail) field += tail;
  if (inQuotes && !quotePending) throw new CsvError('a quoted field is never closed', recordLine);
  if (fields.length || field !== '' || closed) {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) yield { fields, line: recordLine, offset: bytes };
  }
}
