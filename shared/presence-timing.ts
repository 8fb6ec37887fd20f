/**
 * Presence and the collision guard (issue 21). A tab sends a heartbeat every
 * PRESENCE_HEARTBEAT_MS while a conversation is open and polls who else is there every
 * PRESENCE_POLL_MS; a row not refreshed for PRESENCE_TTL_MS is gone. A tab closed without saying
 * goodbye therefore disappears within HEARTBEAT + TTL = 25 s (the product promise is 30 s), and a
 * teammate's arrival shows within POLL + one request (the promise is 2 s at p95).
 */
export const PRESENCE_HEARTBEAT_MS = 5_000;
export const PRESENCE_TTL_MS = 20_000;
export const PRESENCE_POLL_MS = 1_000;
// Zod-free on purpose: the sidebar's content scripts import these timings (issue 20: size).
