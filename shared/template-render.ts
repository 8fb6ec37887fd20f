// Zod-free on purpose: content scripts render templates (snippets) without bundling a validator
// (issue 20: size). The schemas are in ./reply-template.

/**
 * Reply templates are plain text with `{{variable}}` slots, optionally with a fallback:
 * `Hi {{customer.firstName | there}},`. Rendering is text in, text out: the result is inserted
 * into a reply box as text, never as HTML.
 */
export const templateVariables = {
  'customer.name': 'the customer’s display name',
  'customer.firstName': 'the first word of the customer’s name',
  'customer.company': 'the customer’s company',
  'agent.name': 'your name as your teammates know it',
  'agent.firstName': 'the first word of your name',
  'agent.email': 'your email address',
  'order.number': 'the customer’s last order number',
  'order.status': 'the last order’s status',
  'order.total': 'the last order’s total with currency',
  'order.date': 'the date the last order was placed',
  'ticket.id': 'the open ticket’s number',
  'ticket.subject': 'the open ticket’s subject',
  'survey.link': 'the satisfaction survey link of the ticket',
  // Not a value: where the caret lands after a shortcut expands (issue 22). Renders as nothing.
  cursor: 'where the caret goes after the reply is inserted',
} as const;
export type TemplateVariable = keyof typeof templateVariables;
export const templateVariableNames = Object.keys(templateVariables) as TemplateVariable[];

// Any `{{…}}` is a slot, so a misspelt one (`{{customer.first_name}}`) is an unknown variable
// rather than braces sent to the customer as they are.
const SLOT = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

export type TemplateValues = Partial<Record<TemplateVariable, string | null | undefined>>;

export type RenderResult =
  | { ok: true; text: string }
  | { ok: false; error: 'unknown-variable'; variable: string; allowed: readonly string[]; message: string }
  | { ok: false; error: 'missing-value'; variable: string; message: string };

export function templateSlots(body: string): string[] {
  return [...body.matchAll(SLOT)].map((m) => m[1]!);
}

/** Checks a template body: every slot must name a known variable. */
export function validateTemplate(body: string): RenderResult {
  for (const name of templateSlots(body)) {
    if (!(name in templateVariables)) {
      return {
        ok: false,
        error: 'unknown-variable',
        variable: name,
        allowed: templateVariableNames,
        message: `Unknown variable {{${name}}}. Allowed: ${templateVariableNames.map((v) => `{{${v}}}`).join(', ')}`,
      };
    }
  }
  return { ok: true, text: body };
}

export function renderTemplate(body: string, values: TemplateValues): RenderResult {
  const checked = validateTemplate(body);
  if (!checked.ok) return checked;
  let missing: string | null = null;
  const text = body.replace(SLOT, (_match, name: TemplateVariable, fallback: string | undefined) => {
    if (name === 'cursor') return values.cursor ?? '';
    const value = values[name];
    if (value != null && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing ??= name;
    return '';
  });
  if (missing) {
    return {
      ok: false,
      error: 'missing-value',
      variable: missing,
      message: `{{${missing}}} has no value for this customer (${templateVariables[missing as TemplateVariable]}); add a fallback like {{${missing} | …}}`,
    };
  }
  return { ok: true, text };
}
