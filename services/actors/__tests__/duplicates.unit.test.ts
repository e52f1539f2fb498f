import { pairsOf, scorePair } from '../duplicates';

describe('scoring', () => {
  it('takes the strongest key and adjusts it by country, identifiers and shared counterparts, within 0-1', () => {
    const base = {
      a: 'a',
      b: 'b',
      label: 'Organization' as const,
      aNorm: 'x',
      bNorm: 'x',
      aCountry: null,
      bCountry: null,
      aIdentifier: null,
      bIdentifier: null,
      shared: 0,
    };
    expect(scorePair({ ...base, keys: [{ feature: 'NAME', key: 'x' }] }).score).toBe(0.7);
    expect(
      scorePair({
        ...base,
        keys: [
          { feature: 'NAME', key: 'x' },
          { feature: 'IDENTIFIER', key: 'XM-DAC-1' },
        ],
        aCountry: 'MX',
        bCountry: 'MX',
        shared: 9,
      }).score,
    ).toBe(1);
    const twoBodies = scorePair({
      ...base,
      keys: [{ feature: 'NAME', key: 'x' }],
      aCountry: 'MX',
      bCountry: 'AR',
      aIdentifier: 'MX-RFC-1',
      bIdentifier: 'AR-CUIT-2',
    });
    expect(twoBodies.score).toBe(0);
    expect(twoBodies.reasons.map((r) => r.feature)).toEqual(['NAME', 'OTHER_COUNTRY', 'OTHER_IDENTIFIER']);
  });
});

describe('blocking groups', () => {
  it('pairs every two members of a group, or every acronym with every spelled-out name, each pair in one order', () => {
    expect(pairsOf(['c', 'a', 'b'])).toEqual([
      ['a', 'c'],
      ['b', 'c'],
      ['a', 'b'],
    ]);
    expect(pairsOf(['ogp'], ['open-gov', 'aaa'])).toEqual([
      ['ogp', 'open-gov'],
      ['aaa', 'ogp'],
    ]);
  });
});
