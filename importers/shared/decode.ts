import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/** A file we cannot import at all; nothing from it is written. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImportFileError';
  }
}

const HEAD_BYTES = 4096;

/** What an importer reads: a file on disk, or a document already in memory (an upload) with the name reports use. */
export type ImportInput = string | { name: string; bytes: Buffer };

/** The name an input is reported (and cited) by: its path, or the document's name. */
export const inputName = (input: ImportInput): string => (typeof input === 'string' ? input : input.name);

async function headOf(input: ImportInput): Promise<Buffer> {
  if (typeof input !== 'string') return input.bytes.subarray(0, HEAD_BYTES);
  const handle = await open(input, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The input's bytes from `start`, in chunks: streamed from disk (memory stays bounded), or the buffer in slices. */
async function* chunksOf(input: ImportInput, start: number): AsyncGenerator<Buffer> {
  if (typeof input === 'string') {
    for await (const chunk of createReadStream(input, { start, highWaterMark: CHUNK_BYTES })) yield chunk as Buffer;
    return;
  }
  for (let at = start; at < input.bytes.length; at += CHUNK_BYTES) yield input.bytes.subarray(at, at + CHUNK_BYTES);
}
const CHUNK_BYTES = 256 * 1024;

/**
 * Works out a file's text encoding from its first bytes: a byte-order mark, UTF-16 without one (every other byte
 * zero around "<"), or the XML declaration's `encoding`; otherwise UTF-8. Zip archives (and so .xlsx) renamed
 * .xml are refused here.
 */
export async function sniffEncoding(input: ImportInput): Promise<{ encoding: string; skipBytes: number }> {
  const file = inputName(input);
  const bytes = await headOf(input);
  if (bytes.length === 0) throw new ImportFileError(file, 'the file is empty');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b)
    throw new ImportFileError(file, 'this is a zip archive (perhaps a spreadsheet renamed .xml), not XML');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skipBytes: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skipBytes: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skipBytes: 2 };
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return { encoding: 'utf-16le', skipBytes: 0 };
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return { encoding: 'utf-16be', skipBytes: 0 };
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(bytes.toString('latin1'))?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    try {
      new TextDecoder(declared);
    } catch {
      throw new ImportFileError(file, `unsupported encoding "${declared}" declared`);
    }
    return { encoding: declared === 'utf-16' ? 'utf-16le' : declared, skipBytes: 0 };
  }
  return { encoding: 'utf-8', skipBytes: 0 };
}

/**
 * Streams an input as text in the given encoding, chunk by chunk (memory stays bounded). With `fatal`, invalid
 * bytes throw, which lets the caller fall back from undeclared UTF-8 to windows-1252.
 */
export async function* readText(input: ImportInput, encoding: string, skipBytes: number, fatal: boolean): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal });
  let leading = true;
  let pendingCr = false;
  for await (const chunk of chunksOf(input, skipBytes)) {
    let text = decoder.decode(chunk, { stream: true });
    if (leading) {
      // Whitespace before the XML declaration is common in real files and harmless: drop it.
      text = text.replace(/^\s+/, '');
      if (text.length === 0) continue;
      leading = false;
    }
    // Old Mac line endings (CR only): make them LF so line numbers in reports are right.
    if (pendingCr && text.startsWith('\n')) text = text.slice(1);
    pendingCr = text.endsWith('\r');
    yield text.replace(/\r\n?/g, '\n');
  }
  const rest = decoder.decode();
  if (rest) yield rest.replace(/\r\n?/g, '\n');
}
