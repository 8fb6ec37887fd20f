import { z } from 'zod';
import { isPhoneCountry, setDefaultPhoneCountry } from '@shared/phone';

const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  );

/** Every setting the API reads, parsed once at start; a bad value stops the start with the field's name. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for embedded SQLite)')
    .optional(),
  /**
   * Origins CORS allows. Unset: every `chrome-extension://` and `moz-extension://` origin. Set
   * (comma-separated): only these exact origins, e.g. your extension's id (api/app.ts
   * `isAllowedOrigin`). The token, not the origin, is what guards the API; CORS keeps web pages
   * from reading its answers.
   */
  ALLOWED_ORIGINS: csv,
  /** Seed the demo workspace on an empty database (npm start sets it). */
  SEED_DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Requests a minute per token before 429 (0 = off). An agent's extension needs a few a second. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  /** Failed authentications a minute per client address before 429 (0 = off). */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /**
   * Set when the API runs behind your own reverse proxy (nginx, `npm run team`): the client
   * address for the failed-auth limit is then the last X-Forwarded-For entry. Unset, that header
   * is ignored (anyone can send it).
   */
  TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** How long an Idempotency-Key is held for a request that gives no sign of life (ms) before a retry takes it over. */
  IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  /** Slow-query guard on PostgreSQL (statement_timeout, ms). */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Tokens expire after this many days when set (0 = never): the CLI's and agents.create's alike. */
  TOKEN_TTL_DAYS: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(['silent', 'info', 'debug']).default('info'),
  /** Country national phone numbers ("0532 555 12 34") are read in (shared/phone.ts). */
  DEFAULT_PHONE_COUNTRY: z
    .string()
    .default('US')
    .refine(isPhoneCountry, 'must be an ISO 3166 country code such as US, TR, SA, IR')
    .transform((v) => v.toUpperCase()),
});
export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const fields = Object.entries(z.flattenError(result.error).fieldErrors)
      .map(([field, errors]) => `  ${field}: ${(errors ?? []).join('; ')}`)
      .join('\n');
    throw new Error(`Invalid configuration:\n${fields}`);
  }
  setDefaultPhoneCountry(result.data.DEFAULT_PHONE_COUNTRY);
  return result.data;
}
