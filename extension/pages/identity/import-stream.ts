/**
 * Sends a CSV file to `POST /import/customers.csv` and reads the NDJSON answer as it streams.
 *
 * The one place an extension page calls the API itself instead of asking the background: a File
 * cannot cross runtime messaging (JSON only), and the browser streams a File body from disk
 * without loading it into the page. The page reads the same stored server URL and token the
 * background uses; it is an extension page, not a content script, so it runs in the extension's
 * own origin.
 */
export interface ImportRow {
  line: number;
  action: 'create' | 'update' | 'reject';
  /** A reject's reason as a code (api/modules/customers/import/parse.ts `rejectCodes`). */
  code?: string;
  reason?: string;
  customerId?: number | null;
  /** Columns whose control, bidi or zero-width characters were removed. */
  cleaned?: string[];
}
export interface ImportSummary {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Every reject counted by reason code, listed or not. */
  rejectedByReason: Record<string, number>;
  /** Rows whose text lost invisible characters. */
  cleaned: number;
  /** Rows of each action the answer did not list (it lists the first 1,000 of each). */
  omitted: { create: number; update: number; reject: number };
  ms: number;
}
export type ImportEvent =
  | { kind: 'row'; row: ImportRow }
  | { kind: 'progress'; rows: number; offset: number }
  | { kind: 'summary'; summary: ImportSummary }
  | { kind: 'error'; message: string };

/** Parses NDJSON lines from a byte stream (a line may be split across chunks). */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = done ? '' : lines.pop()!;
    for (const line of lines) if (line.trim()) yield JSON.parse(line) as unknown;
    if (done) return;
  }
}

export function toImportEvent(value: unknown): ImportEvent {
  const v = value as Record<string, unknown>;
  if (v.progress) {
    const p = v.progress as { rows: number; offset: number };
    return { kind: 'progress', rows: p.rows, offset: p.offset };
  }
  if (v.summary) return { kind: 'summary', summary: v.summary as ImportSummary };
  if (v.error) return { kind: 'error', message: String((v.error as { message?: string }).message ?? 'import failed') };
  return { kind: 'row', row: v as unknown as ImportRow };
}

export async function* importCsv(serverUrl: string, token: string, file: Blob, dryRun: boolean): AsyncGenerator<ImportEvent> {
  const response = await fetch(`${serverUrl.replace(/\/+$/, '')}/import/customers.csv${dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: file,
  });
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    yield { kind: 'error', message };
    return;
  }
  for await (const line of ndjsonLines(response.body)) yield toImportEvent(line);
}
