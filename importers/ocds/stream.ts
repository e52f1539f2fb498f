import { createReadStream } from 'node:fs';
import { ImportFileError } from '../shared/decode';

type Json = Record<string, any>;

/** One item of an OCDS file: a release (from a release package, or bare) or a record (from a record package). */
export interface OcdsItem {
  kind: 'release' | 'record';
  value: Json;
  /** 1-based number of the JSON document in the file (files may hold several, one after another). */
  document: number;
  /** 1-based position in its document's releases or records. */
  index: number;
}

/** Keys whose arrays are streamed element by element instead of being held whole. */
const STREAMED_KEYS = new Set(['releases', 'records']);

/**
 * Streams the releases and records of an OCDS file without holding the file, or a package, in memory: each element
 * of a top-level `releases` or `records` array is cut out of the text and parsed on its own; what remains of each
 * document (the package metadata) is parsed at its end to check it is OCDS. A bare release document is an item
 * itself. Bytes that are not valid UTF-8 are read as windows-1252 (a superset of ISO-8859-1) from the start.
 * Throws ImportFileError for invalid JSON, a truncated file, or a document that is not OCDS.
 */
export async function streamOcds(
  path: string,
  onItem: (item: OcdsItem) => void | Promise<void>,
  options: { chunkBytes?: number } = {},
): Promise<{ documents: number; encoding: string }> {
  const encoding = (await isUtf8(path)) ? 'utf-8' : 'windows-1252';
  return { ...(await scan(path, encoding, onItem, options.chunkBytes)), encoding };
}

/** Decodes the whole file once, without keeping it, to choose the encoding before any item is delivered. */
async function isUtf8(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const bytes of createReadStream(path)) decoder.decode(bytes as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

async function scan(
  path: string,
  encoding: 'utf-8' | 'windows-1252',
  onItem: (item: OcdsItem) => void | Promise<void>,
  chunkBytes?: number,
): Promise<{ documents: number }> {
  const decoder = new TextDecoder(encoding);
  let depth = 0;
  let inString = false;
  let escaped = false;
  let documents = 0;
  // Text of the current document, minus the streamed arrays' elements.
  let docParts: string[] = [];
  // Text of the element being cut out of a streamed array.
  let elementParts: string[] | undefined;
  let streamedKey: string | undefined;
  let streamedIndex = 0;
  let lastString = '';
  let stringStart = -1;
  let stringParts: string[] = [];
  let keyAtDepth1: string | undefined;
  let first = true;
  let inDocument = false;

  const parse = (text: string, what: string): Json => {
    try {
      return JSON.parse(text) as Json;
    } catch (error) {
      throw new ImportFileError(path, `invalid JSON in document ${documents} (${what}): ${(error as Error).message}`);
    }
  };

  for await (const bytes of createReadStream(path, chunkBytes ? { highWaterMark: chunkBytes } : {})) {
    let text = decoder.decode(bytes as Buffer, { stream: true });
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    // Start of the piece of `text` not yet copied into the document or the element.
    let copyFrom = 0;
    const copyUpTo = (end: number) => {
      if (end > copyFrom) (elementParts ?? (inDocument ? docParts : undefined))?.push(text.slice(copyFrom, end));
      copyFrom = end;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92 /* \ */) escaped = true;
        else if (c === 34 /* " */) {
          inString = false;
          if (depth === 1 && !elementParts) {
            stringParts.push(text.slice(Math.max(stringStart, 0), i));
            lastString = stringParts.join('');
          }
        }
        continue;
      }
      switch (c) {
        case 34: // "
          inString = true;
          stringStart = i + 1;
          stringParts = [];
          break;
        case 58: // :
          if (depth === 1 && !elementParts) keyAtDepth1 = lastString;
          break;
        case 123: // {
        case 91: {
          // [
          if (depth === 0) {
            documents++;
            docParts = [];
            inDocument = true;
            copyFrom = i;
          }
          depth++;
          if (depth === 2 && c === 91 && keyAtDepth1 && STREAMED_KEYS.has(keyAtDepth1) && !streamedKey) {
            streamedKey = keyAtDepth1;
            streamedIndex = 0;
            copyUpTo(i + 1);
          } else if (depth === 3 && streamedKey && !elementParts) {
            copyUpTo(i);
            elementParts = [];
          }
          break;
        }
        case 125: // }
        case 93: {
          // ]
          depth--;
          if (depth < 0) throw new ImportFileError(path, `invalid JSON: unexpected "${String.fromCharCode(c)}" outside any document`);
          if (depth === 2 && elementParts) {
            copyUpTo(i + 1);
            const element = parse(elementParts.join(''), `${streamedKey} item ${streamedIndex + 1}`);
            elementParts = undefined;
            streamedIndex++;
            await onItem({
              kind: streamedKey === 'records' ? 'record' : 'release',
              value: element,
              document: documents,
              index: streamedIndex,
            });
          } else if (depth === 1 && streamedKey && c === 93) {
            // The streamed array closes: the document keeps an empty array in its place.
            copyFrom = i;
            streamedKey = undefined;
          } else if (depth === 0) {
            copyUpTo(i + 1);
            inDocument = false;
            const doc = parse(docParts.join(''), 'package');
            docParts = [];
            keyAtDepth1 = undefined;
            if (!Array.isArray(doc.releases) && !Array.isArray(doc.records)) {
              if (doc && typeof doc === 'object' && !Array.isArray(doc) && (doc.ocid || doc.tender || doc.awards)) {
                await onItem({ kind: 'release', value: doc, document: documents, index: 1 });
              } else {
                throw new ImportFileError(path, `not OCDS: document ${documents} has no releases, records or ocid`);
              }
            }
          }
          break;
        }
        case 44: // ,
          // Commas between streamed elements belong to neither the element nor the document.
          if (depth === 2 && streamedKey && !elementParts) copyFrom = i + 1;
          break;
        default:
          if (depth === 0 && c !== 32 && c !== 10 && c !== 13 && c !== 9) {
            throw new ImportFileError(path, `invalid JSON: unexpected "${String.fromCharCode(c)}" outside any document`);
          }
      }
    }
    if (inString && depth === 1 && !elementParts) stringParts.push(text.slice(Math.max(stringStart, 0)));
    stringStart = 0;
    copyUpTo(text.length);
  }
  if (depth !== 0 || inString) throw new ImportFileError(path, 'invalid JSON: the file ends inside a document (truncated?)');
  if (documents === 0) throw new ImportFileError(path, 'no JSON document found');
  return { documents };
}
