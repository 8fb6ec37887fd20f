import { z } from 'zod';
import { blockText, lineText, plainText } from './text-schema';
import type { identitySchema } from './identity';
import { identityInputSchema } from './identity';

export const customerInputSchema = z.object({
  displayName: lineText(300),
  company: lineText(300, { min: 0 }).nullish(),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like en, ar, fa-IR or tr')
    .nullish(),
  tags: z.array(lineText(60)).max(50).default([]),
  customFields: z.record(plainText(100), z.union([blockText(2000, { min: 0 }), z.number(), z.boolean(), z.null()])).default({}),
});

export const customerCreateSchema = customerInputSchema.extend({
  identities: z.array(identityInputSchema).max(50).default([]),
});
export type CustomerCreateInput = z.input<typeof customerCreateSchema>;

export const customerUpdateSchema = z.object({
  id: z.number().int().positive(),
  patch: customerInputSchema.partial(),
});

export const customerSchema = z.object({
  id: z.number().int(),
  displayName: z.string(),
  company: z.string().nullable(),
  locale: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

export type CustomerWithIdentities = Customer & { identities: z.infer<typeof identitySchema>[] };

export const customerLookupSchema = z.object({
  identities: z.array(identityInputSchema).min(1, 'give at least one identity').max(20),
  name: lineText(300, { min: 0 }).optional(),
});
export type CustomerLookupInput = z.infer<typeof customerLookupSchema>;
