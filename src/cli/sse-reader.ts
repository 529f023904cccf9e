/**
 * Events of a `text/event-stream` body (HTML Living Standard, "Parsing an event stream"):
 * fields up to a blank line, `data` lines joined by newlines, comments skipped.
 */
export async function* readEvents(
  body: AsyncIterable<Uint8Array | string>,
): AsyncIterable<{ event: string; data: string; id?: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { name: '', data: [] as string[], id: undefined as string | undefined };
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A CR that ends the chunk may be the first half of a CR LF: wait for the next chunk.
      if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length > 0)
          yield {
            event: event.name || 'message',
            data: event.data.join('\n'),
            ...(event.id ? { id: event.id } : {}),
          };
        event = { name: '', data: [], id: event.id };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.name = value;
      else if (field === 'data') event.data.push(value);
      else if (field === 'id') event.id = value;
    }
  }
}
