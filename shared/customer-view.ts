/**
 * What a customer card shows, as the inputs of the five reads it is made of (issue 20). One
 * place for both callers: the background asks for these separately (`getCustomerView` after a
 * write or a manual pick) and `customers.lookupWithView` answers them in the lookup's own call,
 * so both give exactly the same card. Plain data, no zod: the background and the API import it.
 */
export function customerViewInputs(customerId: number) {
  return {
    customer: { id: customerId },
    timeline: { customerId, limit: 30 },
    tickets: { customerId, status: ['open' as const, 'pending' as const], limit: 20 },
    orders: { customerId, limit: 10 },
    notes: { customerId, limit: 10 },
  };
}
