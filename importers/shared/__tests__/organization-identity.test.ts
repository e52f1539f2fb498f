import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalOrgId, canonicalSchemeId, orgIdPrefix } from '../../../services/shared/org-identifiers';
import { testDatabase } from '../../../test/support/database';
import { startStack } from '../../../test/support/stack';
import { importIati } from '../../iati';
import { importOcds } from '../../ocds';

describe('canonical organization identifiers', () => {
  it("folds case and whitespace, and maps a bare DAC code and DFID's legacy code to their org-id.guide forms", () => {
    expect(canonicalOrgId(' xm-dac-41114 ')).toBe('XM-DAC-41114');
    expect(canonicalOrgId('41114')).toBe('XM-DAC-41114');
    expect(canonicalOrgId('GB-1')).toBe('GB-GOV-1');
    expect(canonicalOrgId('GB-CHC- 202918')).toBe('GB-CHC-202918');
    expect(canonicalOrgId('-')).toBeUndefined();
    expect(canonicalOrgId('')).toBeUndefined();
  });

  it('joins an OCDS scheme and id once, even when the id already carries the scheme', () => {
    expect(canonicalSchemeId('GB-COH', '01234567')).toBe('GB-COH-01234567');
    expect(canonicalSchemeId('GB-COH', 'gb-coh-01234567')).toBe('GB-COH-01234567');
    expect(canonicalSchemeId(undefined, '123')).toBeUndefined();
  });

  it('recognizes org-id.guide prefixes, the longest first', () => {
    expect(orgIdPrefix('XM-DAC-41114')).toBe('XM-DAC');
    expect(orgIdPrefix('XI-IATI-EC_INTPA')).toBe('XI-IATI');
    expect(orgIdPrefix('ZZ-UNKNOWN-1')).toBeUndefined();
  });
});

describe('one real organization is one node, whatever file or source names it first', () => {
  const db = testDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'ogp-identity-'));
  afterAll(async () => {
    await db.writeRows(
      "MATCH (n) WHERE any(s IN coalesce(n.sourceIds, []) WHERE s STARTS WITH 'src-iati-identity-' OR s STARTS WITH 'src-ocds-identity-') DETACH DELETE n",
    );
    await db.close();
  });

  it('joins UNDP as the legacy DAC code, as XM-DAC-41114 and as an OCDS party under scheme XM-DAC', async () => {
    const legacy = join(dir, 'identity-legacy.xml');
    writeFileSync(
      legacy,
      `<iati-activities version="1.05"><iati-activity default-currency="USD"><iati-identifier>XX-IDENTITY-1</iati-identifier>
<reporting-org ref="XX-IDPUB"><narrative>Identity Publisher</narrative></reporting-org>
<participating-org ref="41114" role="Implementing">Programa de las Naciones Unidas para el Desarrollo</participating-org>
</iati-activity></iati-activities>`,
    );
    const modern = join(dir, 'identity-modern.xml');
    writeFileSync(
      modern,
      `<iati-activities version="2.03"><iati-activity default-currency="USD"><iati-identifier>XX-IDENTITY-2</iati-identifier>
<reporting-org ref="xx-idpub"><narrative>Identity Publisher</narrative></reporting-org>
<participating-org ref=" XM-DAC-41114" role="4"><narrative>United Nations Development Programme (identity test)</narrative></participating-org>
</iati-activity></iati-activities>`,
    );
    const ocds = join(dir, 'identity-ocds.json');
    writeFileSync(
      ocds,
      JSON.stringify({
        releases: [
          {
            ocid: 'ocds-identity-1',
            id: 'r1',
            date: '2020-01-01',
            tag: ['award'],
            parties: [
              { id: 'p1', name: 'PNUD (identity test)', identifier: { scheme: 'XM-DAC', id: '41114' }, roles: ['supplier'] },
              { id: 'p2', name: 'Identity Buyer', roles: ['buyer'] },
            ],
            buyer: { id: 'p2', name: 'Identity Buyer' },
            awards: [{ id: 'a1', suppliers: [{ id: 'p1', name: 'PNUD (identity test)' }] }],
          },
        ],
      }),
    );

    await importIati(db, [legacy]);
    await importIati(db, [modern]);
    await importOcds(db, ocds);

    // Other test files import real IATI files naming UNDP too (into the same database): count only ours.
    const rows = await db.readRows<{ id: string; names: string[]; grants: number; processes: number }>(`
      MATCH (o:Organization {orgIdentifier: 'XM-DAC-41114'})
      RETURN o.id AS id, [o.name] + o.aliases AS names,
             COUNT { (o)-[:PARTICIPATES_IN_GRANT]->(g:Grant) WHERE g.id IN ['iati-XX-IDENTITY-1', 'iati-XX-IDENTITY-2'] } AS grants,
             COUNT { (o)-[:PARTY_TO]->(:ContractingProcess {id: 'ocds-ocds-identity-1'}) } AS processes`);
    expect(rows).toEqual([
      {
        id: 'iati-org-XM-DAC-41114',
        names: expect.arrayContaining([
          'Programa de las Naciones Unidas para el Desarrollo',
          'United Nations Development Programme (identity test)',
        ]),
        grants: 2,
        processes: 1,
      },
    ]);
    const publisher = await db.readRows("MATCH (o:Organization) WHERE o.orgIdentifier = 'XX-IDPUB' RETURN o.id AS id");
    expect(publisher).toHaveLength(1);
    const stack = await startStack('in-process');
    try {
      const answer = await stack.query('{ organization(id: "iati-org-XM-DAC-41114") { orgIdentifier } }');
      expect(answer.body.data.organization).toEqual({ orgIdentifier: 'XM-DAC-41114' });
    } finally {
      await stack.close();
    }
  });
});
