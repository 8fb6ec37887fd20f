import { z } from 'zod';
import { noteAddSchema } from '@shared/note';
import { agentProcedure, router } from '../../trpc';
import { requireWritableCustomer } from '../customers/customers.repository';
import { addNote, listNotes } from './notes.repository';

export const notesRouter = router({
  add: agentProcedure.input(noteAddSchema).mutation(async ({ ctx, input }) => {
    await requireWritableCustomer(ctx.db, input.customerId);
    return addNote(ctx.db, input.customerId, ctx.agent.id, input.body, ctx.now());
  }),
  list: agentProcedure
    .input(z.object({ customerId: z.number().int().positive(), limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => listNotes(ctx.db, input.customerId, input.limit)),
});
