import { z } from 'zod';
import type { identitySchema } from './identity';
import { identityInputSchema } from './identity';

export const customerInputSchema = z.object({
  displayName: z.string().trim().min(1, 'must not be empty').max(300, 'at most 300 characters'),
  company: z.string().trim().max(300).nullish(),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like en, ar, fa-IR or tr')
    .nullish(),
  tags: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  customFields: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).default({}),
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
  name: z.string().trim().max(300).optional(),
});
export type CustomerLookupInput = z.infer<typeof customerLookupSchema>;
