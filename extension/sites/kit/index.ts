/**
 * The site kit: reading logic shared by the review and complaint site adapters. Adapters stay
 * small: they pick the cards and fields with their selectors, and the kit turns page text into
 * bounded, plain values. Everything here is pure over the nodes it is handed (no `window` or
 * `document`, no zod: content scripts stay light; the background validates what they send).
 *
 * One file per job: text, url, rating, date, json-ld, microdata, blocked-page, review (building
 * reviews and pages), schema-reviews (schema.org reviews), review-site (`defineReviewSite`: the adapter from its parts).
 */
export { LIMITS } from '@shared/limits';
export * from './text';
export * from './url';
export * from './rating';
export * from './date';
export * from './json-ld';
export * from './microdata';
export * from './blocked-page';
export * from './review';
export * from './schema-reviews';
export * from './review-site';
