import { SaxesParser, type SaxesTag } from 'saxes';
import { ImportFileError, inputName, readText, sniffEncoding, type ImportInput } from '../shared/decode';
import { contentHash } from '../shared/content-hash';

/** A small element tree for one iati-activity (activities are small; the file as a whole is never held). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

export interface ParsedFile {
  encoding: string;
  version?: string;
  activities: number;
}

const ACTIVITY = 'iati-activity';

/**
 * Streams an IATI activity file and calls `onActivity` with each activity's element tree, in order. Refuses a
 * DOCTYPE (so no entity can expand and no external file or URL is ever read), a root other than
 * iati-activities (organisation files included), and any XML error, naming the file and the reason.
 */
export async function parseIatiFile(input: ImportInput, onActivity?: (activity: XmlElement) => Promise<void> | void): Promise<ParsedFile> {
  const sniffed = await sniffEncoding(input);
  try {
    return await parseWith(input, sniffed.encoding, sniffed.skipBytes, sniffed.encoding === 'utf-8', onActivity);
  } catch (error) {
    // Undeclared windows-1252 is common in older files: retry when the bytes are not valid UTF-8.
    if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA' && sniffed.encoding === 'utf-8')
      return parseWith(input, 'windows-1252', sniffed.skipBytes, false, onActivity);
    throw error;
  }
}

async function parseWith(
  input: ImportInput,
  encoding: string,
  skipBytes: number,
  fatal: boolean,
  onActivity?: (activity: XmlElement) => Promise<void> | void,
): Promise<ParsedFile> {
  const file = inputName(input);
  const parser = new SaxesParser({ position: true });
  const result: ParsedFile = { encoding, activities: 0 };
  let failure: Error | undefined;
  let depth = 0;
  let rootSeen = false;
  const stack: XmlElement[] = [];
  const ready: XmlElement[] = [];
  const drain = async () => {
    while (ready.length > 0) {
      const next = ready.shift()!;
      await onActivity?.(next);
    }
  };
  // Old fixtures (1.0x) sometimes hold a single <iati-activity> as the root: read it as a one-activity file.
  let activityDepth = 2;

  parser.on('error', (error) => {
    failure ??= new ImportFileError(file, `not well-formed XML (${error.message.replace(/^\S+:\d+:\d+: /, '')}) at line ${parser.line}`);
  });
  parser.on('doctype', () => {
    failure ??= new ImportFileError(
      file,
      'refused: the document has a DOCTYPE (entity declarations could expand or read external files); IATI files never need one',
    );
  });
  parser.on('opentag', (tag: SaxesTag) => {
    depth++;
    if (depth === 1) {
      rootSeen = true;
      if (tag.name === 'iati-organisations')
        failure ??= new ImportFileError(file, 'this is an IATI organisation file, not an activity file');
      else if (tag.name === ACTIVITY) activityDepth = 1;
      else if (tag.name !== 'iati-activities')
        failure ??= new ImportFileError(file, `not an IATI activity file (root element <${tag.name}>, expected <iati-activities>)`);
      result.version = tag.attributes.version as string | undefined;
      if (activityDepth !== 1) return;
    }
    if (depth === activityDepth && tag.name !== ACTIVITY) return;
    if (depth === activityDepth || stack.length > 0) {
      const element: XmlElement = {
        name: tag.name,
        attrs: tag.attributes as Record<string, string>,
        children: [],
        text: '',
        line: parser.line,
      };
      stack[stack.length - 1]?.children.push(element);
      stack.push(element);
    }
  });
  parser.on('text', (text) => {
    if (stack.length > 0) stack[stack.length - 1]!.text += text;
  });
  parser.on('closetag', () => {
    depth--;
    if (stack.length === 0) return;
    const element = stack.pop()!;
    element.text = element.text.trim();
    if (stack.length === 0 && element.name === ACTIVITY) {
      result.activities++;
      ready.push(element);
    }
  });

  for await (const chunk of readText(input, encoding, skipBytes, fatal)) {
    parser.write(chunk);
    if (failure) throw failure;
    await drain();
  }
  parser.close();
  if (failure) throw failure;
  if (!rootSeen) throw new ImportFileError(file, 'no XML element found');
  if (depth !== 0) throw new ImportFileError(file, 'the file ends before its elements are closed (truncated?)');
  await drain();
  return result;
}

/** A stable fingerprint of an activity's content: equal for the same activity, different after any change. */
export function fingerprint(element: XmlElement): string {
  const strip = (e: XmlElement): unknown => [e.name, e.attrs, e.text, e.children.map(strip)];
  return contentHash(strip(element));
}
