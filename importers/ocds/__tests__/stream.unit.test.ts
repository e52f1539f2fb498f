import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamOcds, type OcdsItem } from '../stream';
import { SHARED_DIR } from '../../../test/support/env';
import { itWithShared } from '../../../test/support/shared-data';

const dir = mkdtempSync(join(tmpdir(), 'ocds-stream-'));

async function items(file: string, chunkBytes?: number): Promise<OcdsItem[]> {
  const out: OcdsItem[] = [];
  await streamOcds(
    file,
    (item) => {
      out.push(item);
    },
    { chunkBytes },
  );
  return out;
}

describe('streaming OCDS reader', () => {
  // Strings full of what a naive splitter trips on: braces, brackets, escaped quotes, a nested "releases" key,
  // multi-byte characters (cut across chunk boundaries by a 7-byte chunk size).
  const tricky = {
    uri: 'https://example.org/{package}',
    publisher: { name: 'Secretaría de "Hacienda" [MX]', releases: 'not the array' },
    releases: [
      { ocid: 'ocds-a-1', id: '1', tender: { title: 'Obra {pública} \\ ] [ 道路', items: [{ id: 'x', description: '"}' }] } },
      { ocid: 'ocds-a-2', id: '2', awards: [{ id: 'a', suppliers: [{ name: 'Construcciones Ñandú' }] }] },
    ],
    extensions: ['https://example.org/ext.json'],
  };

  it.each([undefined, 7, 64])('cuts each release out of the package exactly as JSON.parse reads it (chunk size %s)', async (chunkBytes) => {
    const file = join(dir, `tricky-${chunkBytes}.json`);
    writeFileSync(file, `\uFEFF${JSON.stringify(tricky, null, 2)}\n`);
    const got = await items(file, chunkBytes);
    expect(got.map((i) => i.value)).toEqual(tricky.releases);
    expect(got.map((i) => [i.kind, i.document, i.index])).toEqual([
      ['release', 1, 1],
      ['release', 1, 2],
    ]);
  });

  it('reads several documents, bare releases and record packages in one file', async () => {
    const file = join(dir, 'multi.json');
    const record = { records: [{ ocid: 'ocds-r-1', compiledRelease: { ocid: 'ocds-r-1', tender: { title: 'R' } } }] };
    writeFileSync(file, [JSON.stringify(tricky), JSON.stringify({ ocid: 'ocds-bare', tender: {} }), JSON.stringify(record)].join('\n'));
    const got = await items(file, 5);
    expect(got.map((i) => [i.kind, i.document, i.value.ocid])).toEqual([
      ['release', 1, 'ocds-a-1'],
      ['release', 1, 'ocds-a-2'],
      ['release', 2, 'ocds-bare'],
      ['record', 3, 'ocds-r-1'],
    ]);
  });

  itWithShared('matches JSON.parse on the real release and record packages', async () => {
    for (const [name, key] of [
      ['release-package-1-2.json', 'releases'],
      ['record-package-1-2.json', 'records'],
    ] as const) {
      const file = join(SHARED_DIR!, 'data', 'ocds', name);
      const whole = JSON.parse(readFileSync(file, 'utf8'))[key];
      expect((await items(file, 1000)).map((i) => i.value)).toEqual(whole);
    }
  });

  it('reads windows-1252 bytes as such', async () => {
    const file = join(dir, 'latin1.json');
    writeFileSync(
      file,
      Buffer.from(JSON.stringify({ releases: [{ ocid: 'ocds-l-1', buyer: { name: 'Ayuntamiento de Córdoba' } }] }), 'latin1'),
    );
    const got = await items(file);
    expect(got[0]!.value.buyer.name).toBe('Ayuntamiento de Córdoba');
  });

  it.each([
    ['truncated', '{"releases": [{"ocid": "x"}', /truncated/],
    ['broken element', '{"releases": [{"ocid": "x",}]}', /invalid JSON in document 1 \(releases item 1\)/],
    ['not OCDS', '{"hello": "world"}', /not OCDS/],
    ['garbage between documents', '{"releases": []} x {"releases": []}', /unexpected "x" outside any document/],
    ['empty', '   ', /no JSON document/],
  ])('refuses a %s file with a clear reason', async (_name, text, reason) => {
    const file = join(dir, `bad-${_name.replace(/\s/g, '-')}.json`);
    writeFileSync(file, text);
    await expect(items(file)).rejects.toThrow(reason);
  });
});
