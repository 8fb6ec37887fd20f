import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Parses a saved page under tests/fixtures/pages/<site>/<file> into a Document (no scripts run). */
export function loadFixture(site: string, file: string): Document {
  const html = readFileSync(resolve(import.meta.dirname, '../../fixtures/pages', site, file), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}
