// Reply templates: `{{variable}}` slots with optional fallbacks, rendered text in, text out.
import { describe, expect, test } from 'vitest';
import {
  renderTemplate,
  replyTemplateInputSchema,
  templateSlots,
  templateVariableNames,
  templateVariables,
  validateTemplate,
  type TemplateValues,
} from '@shared/reply-template';

const values: TemplateValues = {
  'customer.name': 'Layla Haddad',
  'customer.firstName': 'Layla',
  'customer.company': null,
  'agent.name': 'Sara Ahmed',
  'agent.firstName': 'Sara',
  'agent.email': 'support@rafiq.example',
  'order.number': 'R-10042',
  'order.total': '$19.99',
  'ticket.id': '',
};

const render = (body: string, v: TemplateValues = values) => {
  const result = renderTemplate(body, v);
  return result.ok ? result.text : `ERROR ${result.error} ${result.variable}`;
};

describe('rendering', () => {
  test.each([
    ['Hi {{customer.firstName}},', 'Hi Layla,', 'a variable'],
    ['Hi {{ customer.firstName }}!', 'Hi Layla!', 'spaces inside the braces'],
    ['{{customer.name}} / {{customer.name}}', 'Layla Haddad / Layla Haddad', 'the same variable twice'],
    ['Order {{order.number}} ({{order.total}}) — {{agent.name}}', 'Order R-10042 ($19.99) — Sara Ahmed', 'several variables'],
    ['Hi {{customer.company | there}}', 'Hi there', 'a null value takes the fallback'],
    ['Ticket {{ticket.id | (new)}}', 'Ticket (new)', 'an empty value takes the fallback'],
    ['Hi {{customer.firstName | friend}}', 'Hi Layla', 'a value wins over the fallback'],
    ['Order {{order.status | }}shipped', 'Order shipped', 'an empty fallback renders nothing'],
    ['Order {{ order.status |  your order  }}.', 'Order your order.', 'the fallback is trimmed'],
    ['مرحبًا {{customer.firstName}}،', 'مرحبًا Layla،', 'right-to-left text around a slot'],
    ['No slots at all.', 'No slots at all.', 'plain text'],
    ['{{customer.firstName}}\n\n{{agent.firstName}}', 'Layla\n\nSara', 'new lines kept'],
    ['{ {customer.name} } and {customer.name}', '{ {customer.name} } and {customer.name}', 'single braces are text'],
  ] satisfies [string, string, string][])('%j → %j (%s)', (body, expected) => {
    expect(render(body)).toBe(expected);
  });

  test('values are inserted as text: markup and slot syntax inside a value are not interpreted', () => {
    const hostile: TemplateValues = { ...values, 'customer.name': '<img src=x onerror=alert(1)> {{agent.email}}' };
    expect(render('Dear {{customer.name}}', hostile)).toBe('Dear <img src=x onerror=alert(1)> {{agent.email}}');
  });

  test('$ patterns in a value are not replacement patterns', () => {
    expect(render('Total: {{order.total}}', { ...values, 'order.total': "$& $1 $$ $'" })).toBe("Total: $& $1 $$ $'");
  });
});

describe('errors name the variable', () => {
  test('an unknown variable is an error listing every allowed variable', () => {
    const result = renderTemplate('Hi {{customer.nickname}} and {{order.number}}', values);
    expect(result).toMatchObject({ ok: false, error: 'unknown-variable', variable: 'customer.nickname' });
    if (result.ok || result.error !== 'unknown-variable') throw new Error('expected unknown-variable');
    expect(result.allowed).toEqual(templateVariableNames);
    expect(result.message).toBe(`Unknown variable {{customer.nickname}}. Allowed: ${templateVariableNames.map((v) => `{{${v}}}`).join(', ')}`);
  });

  test('an unknown variable is an error even with a fallback or no value needed', () => {
    expect(render('{{customer.age | 30}}')).toBe('ERROR unknown-variable customer.age');
    expect(render('{{Customer.Name}}')).toBe('ERROR unknown-variable Customer.Name');
  });

  test.each([
    ['Hi {{customer.first_name}}', 'customer.first_name'],
    ['Order {{order-number}}', 'order-number'],
    ['Hi {{customer name | there}}', 'customer name'],
    ['Hi {{ }}', ''],
    ['Hi {{customer.name1}}', 'customer.name1'],
  ])('a misspelt slot %j is an unknown variable, never braces sent to the customer', (body, variable) => {
    expect(render(body)).toBe(`ERROR unknown-variable ${variable}`);
  });

  test('a variable without a value and without a fallback is an error that suggests one', () => {
    const result = renderTemplate('Your order {{order.status}} ({{order.date}})', values);
    expect(result).toEqual({
      ok: false,
      error: 'missing-value',
      variable: 'order.status',
      message: `{{order.status}} has no value for this customer (${templateVariables['order.status']}); add a fallback like {{order.status | …}}`,
    });
  });

  test('validateTemplate checks names only (no values needed) and finds every slot', () => {
    expect(validateTemplate('Hi {{customer.firstName}}, {{order.number | your order}}').ok).toBe(true);
    expect(validateTemplate('Hi {{customer.first_name}}')).toMatchObject({ ok: false, variable: 'customer.first_name' });
    expect(templateSlots('a {{customer.name}} b {{ order.total | ? }} c {{survey.link}}')).toEqual(['customer.name', 'order.total', 'survey.link']);
    expect(templateSlots('none here')).toEqual([]);
  });

  test('every variable has a description (shown in the template editor)', () => {
    for (const name of templateVariableNames) expect(templateVariables[name].length, name).toBeGreaterThan(5);
  });
});

describe('template input', () => {
  test.each([
    [{ name: 'Refund', shortcut: 'refund', body: 'Hi' }, true],
    [{ name: 'Refund', shortcut: 'ar-delay-2', body: 'Hi', language: 'ar' }, true],
    [{ name: 'Refund', shortcut: 'fa-IR', body: 'Hi', language: 'fa-IR' }, false],
    [{ name: 'Refund', shortcut: '-refund', body: 'Hi' }, false],
    [{ name: 'Refund', shortcut: 'x'.repeat(41), body: 'Hi' }, false],
    [{ name: ' ', shortcut: 'refund', body: 'Hi' }, false],
    [{ name: 'Refund', shortcut: 'refund', body: '' }, false],
    [{ name: 'Refund', shortcut: 'refund', body: 'Hi', language: 'english' }, false],
  ] satisfies [Record<string, string>, boolean][])('%j valid: %s', (input, valid) => {
    expect(replyTemplateInputSchema.safeParse(input).success).toBe(valid);
  });

  test('the language defaults to en', () => {
    expect(replyTemplateInputSchema.parse({ name: 'A', shortcut: 'a', body: 'b' }).language).toBe('en');
  });
});
