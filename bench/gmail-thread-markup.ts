/**
 * Gmail thread markup for the sidebar benchmark: the agent moves between threads and Gmail swaps
 * the thread in place (no reload), so the bench swaps `div[role="main"]`'s markup in the page.
 *
 * The markup is the saved Gmail fixture's own thread, with its customer (email, name) and thread
 * id rewritten to another demo customer; when the fixture is missing, a reduced thread with the
 * same post-2018 structure as tests/fixtures (`h2.hP[data-legacy-thread-id]`,
 * `div.adn[data-message-id]`, `span.gD[email][name]`) stands in.
 */

export interface ThreadPerson {
  email: string;
  name: string;
}

export interface ThreadTemplate {
  /** `div[role="main"]`'s inner HTML as saved. */
  html: string;
  /** The customer in it (last sender who is not the agent). */
  customer: ThreadPerson;
  /** The thread id as it appears in the markup (`data-legacy-thread-id`), if any. */
  threadId: string | null;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The template's thread, now from `person` and with id `threadId`. */
export function rewriteThread(template: ThreadTemplate, person: ThreadPerson, threadId: string): string {
  let html = template.html.replace(new RegExp(escapeRegExp(template.customer.email), 'gi'), escapeHtml(person.email));
  if (template.customer.name) {
    for (const form of new Set([template.customer.name, escapeHtml(template.customer.name)])) {
      html = html.split(form).join(escapeHtml(person.name));
    }
  }
  if (template.threadId) html = html.split(template.threadId).join(threadId);
  return html;
}

/** A stand-in Gmail thread page (customer writes, agent answers, customer writes again). */
export function syntheticGmailThreadPage(customer: ThreadPerson, agent: ThreadPerson): string {
  const message = (id: number, from: ThreadPerson, to: ThreadPerson, when: string, body: string) => `
  <div class="adn ads" data-message-id="#msg-f:17900000000000${id}" data-legacy-message-id="18c2a1f0d4e5b6${id}0">
    <div class="gE">
      <span email="${escapeHtml(from.email)}" name="${escapeHtml(from.name)}" data-hovercard-id="${escapeHtml(from.email)}" class="gD"><span>${escapeHtml(from.name)}</span></span>
      <span class="hb">to <span email="${escapeHtml(to.email)}" name="${escapeHtml(to.name)}" class="g2">${escapeHtml(to.name)}</span></span>
      <span class="g3" title="${when}" alt="${when}"><span>${when}</span></span>
    </div>
    <div class="ii gt"><div class="a3s aiL"><div dir="auto">${body}</div></div></div>
  </div>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Order 20417 arrived damaged - ${escapeHtml(agent.email)} - Gmail</title></head>
<body>
<div role="navigation" aria-label="Mailboxes"><a href="#inbox">Inbox</a></div>
<div role="main">
  <h2 class="hP" data-legacy-thread-id="18c2a1f0d4e5b6a7">Order 20417 arrived damaged</h2>
  ${message(1, customer, agent, 'Mar 3, 2026, 9:12 AM', 'Hello, the vase in order 20417 arrived broken. Can you help?')}
  ${message(2, agent, customer, 'Mar 3, 2026, 10:05 AM', 'Sorry to hear that! Could you send a photo of the damage?')}
  ${message(3, customer, agent, 'Mar 3, 2026, 11:40 AM', 'Photo attached. I would prefer a replacement.')}
</div>
</body></html>`;
}
