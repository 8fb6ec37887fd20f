import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { answers, asked } from './fake-background';
import { render } from 'solid-js/web';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CustomerWithIdentities, LookupResult } from '../../extension/messaging/protocol';


const { SuggestionCard } = await import('../../extension/sidebar/sections/SuggestionCard');
const { MergeDialog } = await import('../../extension/sidebar/sections/MergeDialog');
const { ndjsonLines, toImportEvent } = await import('../../extension/pages/identity/import-stream');

const now = new Date().toISOString();
const customer = (id: number, displayName: string, value: string): CustomerWithIdentities => ({
  id,
  displayName,
  company: null,
  locale: null,
  tags: [],
  customFields: {},
  createdAt: now,
  updatedAt: now,
  identities: [{ id: id * 10, customerId: id, kind: 'email', value, normalized: value, linkedBy: 'agent', linkedByAgentId: 1, createdAt: now }],
});
const flush = () => new Promise((r) => setTimeout(r, 0));

let root: HTMLElement;
let dispose: () => void = () => undefined;
beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  dispose();
  root.remove();
});

/** Visible text without the bidi isolates (FSI/PDI) that keep names and emails apart from the sentence. */
const text = (el: Element | null) => (el?.textContent ?? '').replace(/[\u2066-\u2069]/g, '');

describe('SuggestionCard', () => {
  const suggestions: LookupResult['suggestions'] = [
    { customer: customer(7, 'ليلى حداد', 'layla@haddad.example'), score: 0.86, reasons: [{ code: 'other-script', message: 'name matches, written in another script (layla ↔ ليلي)' }] },
  ];
  const person = { displayName: 'Layla Haddad', identities: [{ kind: 'x' as const, value: '@layla_h' }, { kind: 'trustpilot' as const, value: 'Layla H.' }] };

  test('shows the reasons as text; yes links every identity of the person, then resolves', async () => {
    const resolved: number[] = [];
    answers.set('linkIdentity', () => ({ created: true }));
    dispose = render(() => <SuggestionCard person={person} suggestions={suggestions} onResolved={(id) => resolved.push(id)} />, root);
    expect(root.textContent).toContain('Is this the same person?');
    expect(root.textContent).toContain('86% likely');
    expect(root.textContent).toContain('written in another script');
    (root.querySelector('[data-testid="rafiq-suggestion-confirm"]') as HTMLButtonElement).click();
    await flush();
    await flush();
    expect(asked.map((r) => [r.type, r.customerId, (r.identity as { value: string }).value])).toEqual([
      ['linkIdentity', 7, '@layla_h'],
      ['linkIdentity', 7, 'Layla H.'],
    ]);
    expect(resolved).toEqual([7]);
  });

  test('no hides the suggestion and links nothing', async () => {
    dispose = render(() => <SuggestionCard person={person} suggestions={suggestions} onResolved={() => undefined} />, root);
    (root.querySelector('[data-testid="rafiq-suggestion-reject"]') as HTMLButtonElement).click();
    await flush();
    expect(root.querySelector('[data-testid="rafiq-suggestions"]')).toBeNull();
    expect(asked).toEqual([]);
  });
});

describe('MergeDialog', () => {
  test('previews what moves, merges into the kept customer, and undo calls unmerge', async () => {
    const a = customer(1, 'Omar Khoury', 'omar@khoury.example');
    const b = customer(2, 'عمر خوري', 'omar.k@gmail.com');
    answers.set('mergeCustomers', () => ({ merge: { id: 55 }, survivor: b }));
    answers.set('unmergeCustomers', () => ({ survivor: b, restored: a }));
    const done: (number | null)[] = [];
    dispose = render(() => <MergeDialog a={a} b={b} onDone={(id) => done.push(id)} onClose={() => undefined} />, root);
    expect(text(root.querySelector('[data-testid="rafiq-merge-preview"]'))).toContain('Moves to Omar Khoury: omar.k@gmail.com');
    // Keep the other one instead: the preview follows.
    (root.querySelectorAll('input[type="radio"]')[1] as HTMLInputElement).click();
    await flush();
    expect(text(root.querySelector('[data-testid="rafiq-merge-preview"]'))).toContain('Moves to عمر خوري: omar@khoury.example');
    (root.querySelector('[data-testid="rafiq-merge-confirm"]') as HTMLButtonElement).click();
    await flush();
    expect(asked[0]).toEqual({ type: 'mergeCustomers', survivorId: 2, mergedId: 1 });
    expect(text(root.querySelector('[data-testid="rafiq-merge-undo-notice"]'))).toContain('Merged Omar Khoury into عمر خوري');
    (root.querySelector('[data-testid="rafiq-merge-undo"]') as HTMLButtonElement).click();
    await flush();
    expect(asked[1]).toEqual({ type: 'unmergeCustomers', mergeId: 55 });
    expect(text(root)).toContain('Merge undone: Omar Khoury is back.');
    expect(done).toEqual([2, null]);
  });

  test('takes the keyboard focus when it opens, and Escape closes it', async () => {
    let closed = 0;
    dispose = render(
      () => <MergeDialog a={customer(1, 'Omar Khoury', 'omar@khoury.example')} b={customer(2, 'عمر خوري', 'omar.k@gmail.com')} onDone={() => undefined} onClose={() => closed++} />,
      root,
    );
    const dialog = root.querySelector('[data-testid="rafiq-merge-dialog"]') as HTMLElement;
    expect(document.activeElement).toBe(dialog);
    dialog.querySelector('input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(closed).toBe(0);
    dialog.querySelector('input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toBe(1);
  });
});

test('the import page reads NDJSON split anywhere across chunks', async () => {
  const text = '{"line":2,"action":"create"}\n{"progress":{"rows":1000,"offset":5120}}\n{"summary":{"rows":1,"created":1}}\n';
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
  const events = [];
  for await (const line of ndjsonLines(stream)) events.push(toImportEvent(line));
  expect(events).toEqual([
    { kind: 'row', row: { line: 2, action: 'create' } },
    { kind: 'progress', rows: 1000, offset: 5120 },
    { kind: 'summary', summary: { rows: 1, created: 1 } },
  ]);
});
