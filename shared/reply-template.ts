import { z } from 'zod';
import { blockText, lineText } from './text-schema';

export * from './template-render';

export const replyTemplateSchema = z.object({
  id: z.number(),
  name: z.string(),
  shortcut: z.string(),
  body: z.string(),
  language: z.string(),
});
export type ReplyTemplate = z.infer<typeof replyTemplateSchema>;

export const replyTemplateInputSchema = z.object({
  name: lineText(200),
  shortcut: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or dashes'),
  body: blockText(10_000),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).default('en'),
});
