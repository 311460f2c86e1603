import { describe, expect, it } from 'vitest';
import { bridgeQuery, bridgeToOthers } from '../../../knowledge/bridge.js';

describe('the support-vocabulary bridge', () => {
  it('carries the meaning of a support question into another language, inflections and compounds included', () => {
    expect(bridgeQuery('Hoe lang duurt de verzending?', 'en')?.groups).toEqual(['time days long', 'shipping delivery deliver ship dispatch']);
    expect(bridgeQuery('Hvad koster leveringen til Bornholm?', 'en')?.groups).toEqual(['price cost costs', 'shipping delivery deliver ship dispatch', 'bornholm']);
    expect(bridgeQuery("J'ai oublié mon mot de passe", 'de')?.groups).toEqual(['zurücksetzen vergessen', 'passwort kennwort']);
    expect(bridgeQuery('Wie hoch sind die Versandkosten?', 'da')?.groups).toContain('levering levere forsendelse fragt sende sendes');
  });

  it('knows a short word in the plural or with its article ending: gift cards, kortet, Karten', () => {
    expect(bridgeQuery('Do gift cards expire?', 'da')?.groups).toEqual(['gavekort', 'gyldig gyldighed udløbe udløber']);
    expect(bridgeQuery('Kan jeg bruge kortet i butikken?', 'en')?.groups).toEqual(['card credit card', 'store shop']);
    expect(bridgeQuery('Welke betaalmethoden accepteren jullie?', 'en')?.groups).toEqual(['payment pay', 'accept accepted']);
  });

  it('gives nothing when no support word is recognised, and never bridges into the question\'s own language', () => {
    expect(bridgeQuery('Who won the Super Bowl in 2016?', 'da')).toBeUndefined();
    expect(Object.keys(bridgeToOthers('Kan jeg hente min ordre?', 'da', ['da', 'en', 'de']))).toEqual(['en', 'de']);
  });
});
