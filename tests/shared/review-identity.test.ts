import { describe, expect, test } from 'vitest';
import { normalizeIdentity } from '@shared/identity';
import { isPlaceholderName, reviewerIdentity } from '@shared/review-identity';

describe('placeholder and masked reviewer names name nobody', () => {
  test.each([
    'Amazon Customer', 'AMAZON CUSTOMER', 'Kindle Customer', 'A Google user', 'Google User', 'Kunde', 'Amazon Kunde',
    'Ein Google-Nutzer', "Client d'Amazon", 'Un utilisateur de Google', 'Cliente de Amazon', 'Un usuario de Google',
    'Un utente di Google', 'Cliente Amazon', 'Amazon Müşterisi', 'Bir Google kullanıcısı', 'Anonim', 'Misafir',
    'عميل أمازون', 'مستخدم جوجل', 'مجهول', 'زائر', 'کاربر گوگل', 'یک کاربر گوگل', 'ناشناس', 'مهمان', 'Verified Buyer',
    'Yelp User', 'Anonymous', '***', '* * *', 'M***** K.', 'M***** K***', 'A. ***', 'J*** D.', '\u202eAmazon\u200b Customer', '',
    '  ',
  ])('%j', (name) => {
    expect(isPlaceholderName(name)).toBe(true);
  });

  test.each(['Layla Haddad', 'M. Kaya', 'Ali K.', 'J. K.', 'Mehmet', 'Kundera', 'Customer Care Team Lead Ayşe', 'Clienta Rosa', 'محمد حداد', 'مهسا\u200cسادات', 'Na Yeon', 'A'])(
    '%j is a person',
    (name) => {
      expect(isPlaceholderName(name)).toBe(false);
    },
  );
});

describe('reviewerIdentity', () => {
  test('a profile link is the identity whatever the shown name', () => {
    expect(reviewerIdentity({ site: 'amazon', reviewerName: 'Amazon Customer', reviewerProfileUrl: 'https://www.amazon.com/gp/profile/amzn1.account.X' })).toEqual({
      kind: 'amazon',
      value: 'https://www.amazon.com/gp/profile/amzn1.account.X',
    });
  });
  test('no link and a placeholder or masked name: no identity at all', () => {
    expect(reviewerIdentity({ site: 'amazon', reviewerName: 'Amazon Customer', reviewerProfileUrl: null })).toBeNull();
    expect(reviewerIdentity({ site: 'google', reviewerName: 'Bir Google kullanıcısı', reviewerProfileUrl: null })).toBeNull();
    expect(reviewerIdentity({ site: 'generic', reviewerName: 'M***** K.', reviewerProfileUrl: null })).toBeNull();
  });
  test('no link and a real name: the name, on the site', () => {
    expect(reviewerIdentity({ site: 'sikayetvar', reviewerName: 'Mehmet Yılmaz', reviewerProfileUrl: null })).toEqual({ kind: 'sikayetvar', value: 'Mehmet Yılmaz' });
  });
  test('the server refuses a placeholder name as an identity, with the reason', () => {
    expect(normalizeIdentity({ kind: 'amazon', value: 'Amazon Customer' })).toEqual({ ok: false, reason: 'is a placeholder or masked reviewer name, not a person' });
    expect(normalizeIdentity({ kind: 'web', value: 'M***** K.' }).ok).toBe(false);
    expect(normalizeIdentity({ kind: 'web', value: 'Layla Haddad' })).toEqual({ ok: true, normalized: 'name:layla haddad' });
  });
});
