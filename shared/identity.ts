import { z } from 'zod';
import { lineText } from './text-schema';
import { foldName, normalizeEmail, normalizeProfileUrl, normalizeXHandle, type NormalizeResult } from './normalize';
import { normalizePhone } from './phone';

export { foldName, normalizeEmail, normalizeProfileUrl, normalizeXHandle, normalizePhone, type NormalizeResult };

/**
 * Identity kinds: how a person shows up somewhere. Review-site kinds double as site ids
 * (a Trustpilot reviewer is identified by their Trustpilot profile).
 */
export const identityKinds = [
  'email',
  'phone',
  'x',
  'trustpilot',
  'yelp',
  'google',
  'g2',
  'amazon',
  'sikayetvar',
  'eshtki',
  'web',
] as const;
export const identityKindSchema = z.enum(identityKinds);
export type IdentityKind = z.infer<typeof identityKindSchema>;

export const identityInputSchema = z.object({
  kind: identityKindSchema,
  value: lineText(512),
});
export type IdentityInput = z.infer<typeof identityInputSchema>;

export const identityLinkedBySchema = z.enum(['import', 'agent', 'auto', 'seed']);

export const identitySchema = identityInputSchema.extend({
  id: z.number().int(),
  customerId: z.number().int(),
  normalized: z.string(),
  linkedBy: identityLinkedBySchema,
  linkedByAgentId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type Identity = z.infer<typeof identitySchema>;

export function normalizeIdentity(input: IdentityInput): NormalizeResult {
  switch (input.kind) {
    case 'email':
      return normalizeEmail(input.value);
    case 'x':
      return normalizeXHandle(input.value);
    case 'phone':
      return normalizePhone(input.value);
    case 'trustpilot':
    case 'yelp':
    case 'google':
    case 'g2':
    case 'amazon':
    case 'sikayetvar':
    case 'eshtki':
    case 'web':
      return normalizeProfileUrl(input.value);
  }
}
