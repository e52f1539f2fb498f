import { random } from './bench/generate';
import { createWriteStream } from 'node:fs';
async function generate(path: string, megabytes: number, tag: string): Promise<number> {
  const out = createWriteStream(path);
  const rnd = random(megabytes);
  const write = (text: string) => new Promise<void>((done) => (out.write(text) ? done() : out.once('drain', () => done())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n');
  let count = 0;
  while (out.bytesWritten < megabytes * 1024 * 1024) {
    const id = `XB-${tag}-${megabytes}-${count++}`;
    const funder = `XB-ORG-${Math.floor(rnd() * 500)}`;
    const implementer = `XB-ORG-${500 + Math.floor(rnd() * 2000)}`;
    await write(`<iati-activity default-currency="USD" xml:lang="en"><iati-identifier>${id}</iati-identifier>
<reporting-org ref="${funder}" type="10"><narrative>Funder ${funder}</narrative></reporting-org>
<title><narrative>Programme ${count}</narrative><narrative xml:lang="es">Programa ${count}</narrative></title>
<description><narrative>Open contracting support for municipality ${count % 977}.</narrative></description>
<participating-org role="1" ref="${funder}" type="10"><narrative>Funder ${funder}</narrative></participating-org>
<participating-org role="4" ref="${implementer}" type="22"><narrative>Implementer ${implementer}</narrative></participating-org>
<activity-status code="2"/><activity-date type="2" iso-date="2020-01-01"/><recipient-country code="MX" percentage="100"/><sector code="15110" vocabulary="1"/>
<transaction><transaction-type code="2"/><transaction-date iso-date="2020-01-15"/><value>${Math.round(rnd() * 1e6)}</value><receiver-org ref="${implementer}"><narrative>Implementer ${implementer}</narrative></receiver-org></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-06-15"/><value>${Math.round(rnd() * 5e5)}</value><receiver-org ref="${implementer}"><narrative>Implementer ${implementer}</narrative></receiver-org></transaction>
<result type="1"><title><narrative>Contracts published</narrative></title></result>
</iati-activity>\n`);
  }
  await write('</iati-activities>\n');
  await new Promise<void>((done) => out.end(done));
  return count;
}
generate(process.argv[2]!, Number(process.argv[3]), process.argv[4]!).then((n) => console.log(n, 'activities'));
