import { router } from './trpc';
import { agentsRouter } from './modules/agents/agents.router';
import { customersRouter } from './modules/customers/customers.router';
import { identitiesRouter } from './modules/customers/identities.router';
import { interactionsRouter, timelineRouter } from './modules/timeline/timeline.router';
import { notesRouter } from './modules/notes/notes.router';
import { ordersRouter } from './modules/orders/orders.router';
import { repliesRouter } from './modules/replies/replies.router';
import { ticketsRouter } from './modules/tickets/tickets.router';
import { complaintsRouter } from './modules/complaints/complaints.router';
import { metricsRouter } from './modules/metrics/metrics.router';
import { surveysRouter } from './modules/surveys/surveys.router';
import { slaRouter } from './modules/sla/sla.router';
import { queuesRouter } from './modules/queues/queues.router';
import { presenceRouter } from './modules/presence/presence.router';

export const appRouter = router({
  agents: agentsRouter,
  customers: customersRouter,
  identities: identitiesRouter,
  timeline: timelineRouter,
  interactions: interactionsRouter,
  notes: notesRouter,
  tickets: ticketsRouter,
  orders: ordersRouter,
  replies: repliesRouter,
  complaints: complaintsRouter,
  metrics: metricsRouter,
  surveys: surveysRouter,
  sla: slaRouter,
  queues: queuesRouter,
  presence: presenceRouter,
});

/** The only thing the extension imports from the API: a type. */
export type AppRouter = typeof appRouter;
