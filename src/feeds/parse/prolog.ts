/**
 * Everything before the root element: XML declaration, comments, processing instructions and the
 * DOCTYPE. A DOCTYPE that declares entities is refused outright: that is how billion-laughs and
 * XXE (`SYSTEM "file:///etc/passwd"`) documents work, and no real feed needs it (reliability §1.2,
 * §3 A1–A2). Any other DOCTYPE (RSS 0.91's Netscape DTD, `<!DOCTYPE html>`) is dropped unread.
 */
export type PreparedDocument =
  | { readonly ok: true; readonly body: string }
  | { readonly ok: false; readonly code: 'empty_body' | 'invalid_xml'; readonly message: string };

export function prepareDocument(text: string): PreparedDocument {
  let at = 0;
  for (;;) {
    while (at < text.length && isSpace(text.charCodeAt(at))) at++;
    if (at >= text.length) return { ok: false, code: 'empty_body', message: 'the body is empty or only whitespace' };
    if (text.startsWith('<?', at)) {
      at = skipPast(text, at, '?>');
    } else if (text.startsWith('<!--', at)) {
      at = skipPast(text, at, '-->');
    } else if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) {
      const end = doctypeEnd(text, at);
      if (/<!ENTITY/i.test(text.slice(at, end))) {
        return { ok: false, code: 'invalid_xml', message: 'DOCTYPE declares entities (refused: entity expansion and external entities)' };
      }
      at = end;
    } else {
      break;
    }
  }
  const body = text.slice(at);
  // NUL is never legal XML and makes some parsers stop dead; it never carries meaning in a feed.
  return { ok: true, body: body.includes('\u0000') ? body.replaceAll('\u0000', '') : body };
}

function skipPast(text: string, from: number, marker: string): number {
  const end = text.indexOf(marker, from);
  return end === -1 ? text.length : end + marker.length;
}

/** Index just past the DOCTYPE, internal subset `[...]` included. */
function doctypeEnd(text: string, from: number): number {
  const close = text.indexOf('>', from);
  const open = text.indexOf('[', from);
  if (open !== -1 && (close === -1 || open < close)) {
    const subsetEnd = text.indexOf(']', open);
    return subsetEnd === -1 ? text.length : skipPast(text, subsetEnd, '>');
  }
  return close === -1 ? text.length : close + 1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0xfeff;
}
