import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../../../api/router';
import { cleanedTextPolicy, lineText, plainText } from '../../../shared/text-schema';

/**
 * Issue 18, item 1: one control-character policy for every text field. Every string an API
 * procedure accepts is one of the cleaned text schemas of `shared/text-schema.ts`, or is pinned
 * down by a format, a pattern or an enum so it cannot hold a control character at all. A plain
 * `z.string()` (as `sla.createTeam`'s name was) stores NUL and U+202E: this walk finds it.
 */

/** Strings that are neither cleaned nor formatted, each with why that is safe. Keyed `procedure:field.path`. */
const ALLOWED: Record<string, string> = {
  'customers.search:cursor': 'the last id of a page: anything but digits reads as "from the start"; never stored',
  'customers.duplicates:cursor': 'the last name key of a page: only compared (key > cursor) in a bound parameter; never stored',
  'timeline.list:cursor': 'an opaque page cursor: refused unless it is one the API gave out (digits:digits); never stored',
  'metrics.summary:tz': 'a time zone: refined with Intl.DateTimeFormat, which refuses any name holding a control character; never stored',
  'sla.attainment:tz': 'a time zone: refined with Intl.DateTimeFormat, which refuses any name holding a control character; never stored',
  'sla.createTeam:calendar.timeZone': 'a time zone: stored, but only once Intl.DateTimeFormat accepted it, which refuses any control character',
  'sla.updateTeam:calendar.timeZone': 'a time zone: stored, but only once Intl.DateTimeFormat accepted it, which refuses any control character',
  'presence.read:ifVersion': 'an opaque version the client echoes back: compared with the current one, never stored',
};

type Found = { path: string; kind: 'uncleaned string' };

/** Every string schema reachable in `schema` that is not cleaned, formatted, patterned or an enum. */
function uncleanedStrings(schema: z.ZodType, path = '', seen = new Set<unknown>()): Found[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  if (cleanedTextPolicy(schema)) return [];
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const walk = (child: unknown, at: string) => uncleanedStrings(child as z.ZodType, at, seen);
  const join = (key: string) => (path ? `${path}.${key}` : key);
  switch (def.type) {
    case 'string': {
      const checks = (def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? [];
      const formatted = typeof def.format === 'string' || checks.some((c) => c._zod.def.check === 'string_format');
      return formatted ? [] : [{ path: path || '(input)', kind: 'uncleaned string' }];
    }
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const out = Object.entries(shape).flatMap(([key, child]) => walk(child, join(key)));
      if (def.catchall) out.push(...walk(def.catchall, join('*')));
      return out;
    }
    case 'array':
      return walk(def.element, join('[]'));
    case 'set':
      return walk(def.valueType, join('[]'));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'success':
      return walk(def.innerType, path);
    case 'pipe':
      return [...walk(def.in, path), ...walk(def.out, path)];
    case 'union':
      return (def.options as unknown[]).flatMap((option) => walk(option, path));
    case 'intersection':
      return [...walk(def.left, path), ...walk(def.right, path)];
    case 'record':
    case 'map':
      return [...walk(def.keyType, join('(key)')), ...walk(def.valueType, join('*'))];
    case 'tuple':
      return [...(def.items as unknown[]).flatMap((item, i) => walk(item, join(String(i)))), ...(def.rest ? walk(def.rest, join('...')) : [])];
    case 'lazy':
      return walk((def.getter as () => unknown)(), path);
    default:
      // number, boolean, enum, literal, null, transform, unknown (only reached through a cleaning transform), …
      return [];
  }
}

type Procedure = { _def: { inputs: z.ZodType[] } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures;

function violations(): string[] {
  return Object.entries(procedures).flatMap(([name, procedure]) =>
    procedure._def.inputs.flatMap((input) => uncleanedStrings(input).map((found) => `${name}:${found.path}`)),
  );
}

describe('every text field an API procedure accepts is cleaned (issue 18, item 1)', () => {
  test('the walk reaches every procedure', () => {
    expect(Object.keys(procedures).length).toBeGreaterThan(50);
    expect(procedures['sla.createTeam']!._def.inputs.length).toBe(1);
  });

  test('the walk tells a plain string from a cleaned, formatted or enumerated one', () => {
    const found = uncleanedStrings(
      z.object({
        plain: z.string().trim().max(10),
        deep: z.array(z.object({ name: z.string().optional() })).nullable(),
        key: z.record(z.string(), z.number()),
        cleaned: lineText(10),
        refined: lineText(10).refine((v) => v !== 'x'),
        optionalCleaned: plainText(10).nullish(),
        email: z.email(),
        code: z.string().regex(/^[a-z]+$/),
        kind: z.enum(['a', 'b']),
      }),
    );
    expect(found.map((f) => f.path)).toEqual(['plain', 'deep.[].name', 'key.(key)']);
  });

  test('no procedure takes a string outside the policy, except the listed ones', () => {
    const found = violations();
    const unexpected = found.filter((path) => !(path in ALLOWED));
    expect(unexpected, 'use a schema from shared/text-schema.ts (lineText, blockText, …), or a format/regex/enum').toEqual([]);
  });

  test('every allowance is still needed and says why', () => {
    const found = new Set(violations());
    for (const [path, reason] of Object.entries(ALLOWED)) {
      expect(found.has(path), `${path} is allowed but no longer a plain string: remove it from ALLOWED`).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});
