import type { TemplateValues } from '@shared/reply-template';
import type { PublicReplyWarning, PublicReplyWarningKind } from '@shared/public-reply-check';
import { t } from '../i18n';
import type { TextKey as MessageKey } from '../i18n';

/**
 * The small fill-in form a snippet opens when a slot has no value for this customer (issue 22):
 * one field per missing variable, prefilled with its default, in a closed shadow root next to the
 * reply box so the page's CSS and scripts cannot reach it. Enter inserts, Escape cancels (the
 * shortcut stays as typed). Resolves with the values, or null when cancelled.
 */

/** What a field starts with, per language: a greeting word where one fits, else empty. */
const defaults: Partial<Record<string, Record<string, string>>> = {
  'customer.firstName': { en: 'there', ar: 'عميلنا العزيز', fa: 'مشتری گرامی', tr: 'değerli müşterimiz' },
  'customer.name': { en: 'there', ar: 'عميلنا العزيز', fa: 'مشتری گرامی', tr: 'değerli müşterimiz' },
};

const labelKeys: Record<string, MessageKey> = {
  'customer.name': 'snippet.var.customerName',
  'customer.firstName': 'snippet.var.customerFirstName',
  'customer.company': 'snippet.var.customerCompany',
  'order.number': 'snippet.var.orderNumber',
  'order.status': 'snippet.var.orderStatus',
  'order.total': 'snippet.var.orderTotal',
  'order.date': 'snippet.var.orderDate',
  'ticket.id': 'snippet.var.ticketId',
  'ticket.subject': 'snippet.var.ticketSubject',
  'survey.link': 'snippet.var.surveyLink',
  'agent.name': 'snippet.var.agentName',
  'agent.firstName': 'snippet.var.agentName',
  'agent.email': 'snippet.var.agentEmail',
};

export function variableDefault(name: string, language: string): string {
  const byLanguage = defaults[name];
  return byLanguage?.[language.slice(0, 2)] ?? byLanguage?.en ?? '';
}

export function openSnippetFillForm(
  doc: Document,
  near: HTMLElement,
  request: { missing: string[]; language: string; templateName: string },
): Promise<Partial<TemplateValues> | null> {
  return new Promise((resolve) => {
    const hostEl = doc.createElement('rafiq-snippet-fill');
    hostEl.setAttribute('data-testid', 'rafiq-snippet-fill');
    const root = hostEl.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = `
      form { position: fixed; z-index: 2147483646; inset-inline-start: var(--x); inset-block-start: var(--y);
        font: 13px system-ui, sans-serif; background: #fff; color: #111; border: 1px solid #c9ced6; border-radius: 8px;
        padding: 10px; box-shadow: 0 4px 16px rgba(0,0,0,.18); display: flex; flex-direction: column; gap: 6px; min-inline-size: 240px; }
      label { display: flex; flex-direction: column; gap: 2px; }
      input { font: inherit; padding: 4px 6px; border: 1px solid #c9ced6; border-radius: 4px; }
      .row { display: flex; gap: 6px; justify-content: flex-end; }
      button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #c9ced6; background: #f4f6f8; cursor: pointer; }
      button[type=submit] { background: #0b6e4f; color: #fff; border-color: #0b6e4f; }`;
    const form = doc.createElement('form');
    form.dir = request.language === 'ar' || request.language === 'fa' ? 'rtl' : 'ltr';
    const rect = near.getBoundingClientRect();
    form.style.setProperty('--x', `${Math.max(8, rect.left)}px`);
    form.style.setProperty('--y', `${Math.max(8, rect.bottom + 6)}px`);
    const title = doc.createElement('strong');
    title.textContent = t('snippet.fillTitle', { name: request.templateName });
    form.append(title);
    const inputs = new Map<string, HTMLInputElement>();
    for (const name of request.missing) {
      const label = doc.createElement('label');
      const caption = doc.createElement('span');
      caption.textContent = labelKeys[name] ? t(labelKeys[name]) : name;
      const input = doc.createElement('input');
      input.name = name;
      input.dir = 'auto';
      input.value = variableDefault(name, request.language);
      input.setAttribute('data-testid', 'rafiq-snippet-field');
      input.setAttribute('data-variable', name);
      label.append(caption, input);
      form.append(label);
      inputs.set(name, input);
    }
    const row = doc.createElement('div');
    row.className = 'row';
    const cancel = doc.createElement('button');
    cancel.type = 'button';
    cancel.textContent = t('snippet.cancel');
    cancel.setAttribute('data-testid', 'rafiq-snippet-cancel');
    const submit = doc.createElement('button');
    submit.type = 'submit';
    submit.textContent = t('snippet.insert');
    submit.setAttribute('data-testid', 'rafiq-snippet-insert');
    row.append(cancel, submit);
    form.append(row);
    root.append(style, form);
    doc.body.append(hostEl);

    const finish = (values: Partial<TemplateValues> | null) => {
      hostEl.remove();
      resolve(values);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const values: Partial<TemplateValues> = {};
      for (const [name, input] of inputs) {
        const value = input.value.trim();
        if (!value) {
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          return;
        }
        values[name as keyof TemplateValues] = value;
      }
      finish(values);
    });
    cancel.addEventListener('click', () => finish(null));
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        finish(null);
      }
    });
    const first = [...inputs.values()].find((i) => !i.value) ?? [...inputs.values()][0];
    first?.focus();
  });
}

const warningKeys: Record<PublicReplyWarningKind, MessageKey> = {
  email: 'publicReply.email',
  phone: 'publicReply.phone',
  'order-number': 'publicReply.orderNumber',
  'asks-to-change-review': 'publicReply.asksToChange',
  'names-other-customer': 'publicReply.namesOther',
};

/**
 * The public-reply check for a snippet typed on a review site (issue 22): the same warnings as
 * the sidebar's, next to the box. Resolves true for "Insert anyway", false for "Back to edit".
 */
export function openPublicReplyConfirm(doc: Document, near: HTMLElement, warnings: readonly PublicReplyWarning[]): Promise<boolean> {
  const list = doc.createElement('ul');
  for (const w of warnings) {
    const li = doc.createElement('li');
    li.setAttribute('data-kind', w.kind);
    const what = doc.createElement('bdi');
    what.dir = 'auto';
    what.textContent = w.match;
    li.append(`${t(warningKeys[w.kind])} `, what);
    list.append(li);
  }
  return openInsertConfirm(doc, near, { tag: 'rafiq-public-reply-check', testId: 'rafiq-snippet-public', title: t('publicReply.title'), body: list });
}

/**
 * The collision guard for a snippet (issue 21): a teammate replied to or logged this conversation
 * since this tab opened it ("Sara replied here 2 min ago."). Same choice as the public check.
 */
export function openCollisionConfirm(doc: Document, near: HTMLElement, warning: string): Promise<boolean> {
  return openInsertConfirm(doc, near, { tag: 'rafiq-collision-check', testId: 'rafiq-snippet-collision', title: warning, body: null });
}

/** A held insertion next to the box: a title, what was found, "Back to edit" or "Insert anyway". */
function openInsertConfirm(doc: Document, near: HTMLElement, what: { tag: string; testId: string; title: string; body: HTMLElement | null }): Promise<boolean> {
  return new Promise((resolve) => {
    const hostEl = doc.createElement(what.tag);
    hostEl.setAttribute('data-testid', `${what.testId}-warning`);
    const root = hostEl.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = `
      div { position: fixed; z-index: 2147483646; inset-inline-start: var(--x); inset-block-start: var(--y); max-inline-size: 420px;
        font: 13px system-ui, sans-serif; background: #fde2e1; color: #8a1c12; border: 1px solid #e5a29c; border-radius: 8px;
        padding: 10px; box-shadow: 0 4px 16px rgba(0,0,0,.18); display: flex; flex-direction: column; gap: 6px; }
      ul { margin: 0; padding-inline-start: 18px; }
      .row { display: flex; gap: 6px; justify-content: flex-end; }
      button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #c9ced6; background: #fff; cursor: pointer; }`;
    const box = doc.createElement('div');
    box.setAttribute('role', 'alertdialog');
    const rect = near.getBoundingClientRect();
    box.style.setProperty('--x', `${Math.max(8, rect.left)}px`);
    box.style.setProperty('--y', `${Math.max(8, rect.bottom + 6)}px`);
    const title = doc.createElement('strong');
    title.textContent = what.title;
    const row = doc.createElement('div');
    row.className = 'row';
    const back = doc.createElement('button');
    back.type = 'button';
    back.textContent = t('publicReply.back');
    back.setAttribute('data-testid', `${what.testId}-back`);
    const anyway = doc.createElement('button');
    anyway.type = 'button';
    anyway.textContent = t('publicReply.insertAnyway');
    anyway.setAttribute('data-testid', `${what.testId}-anyway`);
    row.append(back, anyway);
    box.append(title, ...(what.body ? [what.body] : []), row);
    root.append(style, box);
    doc.body.append(hostEl);
    const finish = (insert: boolean) => {
      hostEl.remove();
      resolve(insert);
    };
    back.addEventListener('click', () => finish(false));
    anyway.addEventListener('click', () => finish(true));
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') finish(false);
    });
    back.focus();
  });
}
