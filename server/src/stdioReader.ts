// The --stdio transport's message reader (bench figure 5). vscode-jsonrpc's StreamMessageReader keeps every 64 kB
// chunk of a message until the whole body is in, then copies them into one Buffer the size of the message: for a
// 5.4 MB didOpen that is 5.4 MB of chunks in glibc's main heap plus a 5.4 MB block of its own. Freeing a block that
// big raises glibc's trim threshold to twice its size for the rest of the process, so the heap the chunks grew is
// never given back (about 2 MB stayed resident). This reader decodes each chunk's part of the body to text as it
// arrives and lets the chunk go: no message-sized Buffer, and the next read reuses the freed chunk memory.
// (The IPC transport VS Code uses decodes chunk by chunk already.)
import { StringDecoder } from 'node:string_decoder';
import { AbstractMessageReader, Disposable, type DataCallback, type Message, type MessageReader } from 'vscode-jsonrpc/node';

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
/** Headers are a line or two; a client sending more without a blank line is not speaking LSP. */
const MAX_HEADER_BYTES = 64 * 1024;

/** The Content-Length header's value, or undefined when missing or not a number. */
function contentLength(headers: string): number | undefined {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    return /^\d+$/.test(value) ? Number(value) : undefined;
  }
  return undefined;
}

export class StdioMessageReader extends AbstractMessageReader implements MessageReader {
  /** Header bytes of the next message received so far (a copy: never a view that would pin a whole chunk). */
  private header: Buffer | undefined;
  /** Body bytes still to come, or -1 while reading headers. */
  private remaining = -1;
  private pieces: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
  /** A shutdown request went by: main.ts picks the exit code from it when stdin ends, as vscode-languageserver does. */
  sawShutdown = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string): void => this.consume(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, callback);
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('close', onClose);
    return Disposable.create(() => {
      this.input.off('data', onData);
      this.input.off('error', onError);
      this.input.off('close', onClose);
    });
  }

  private consume(chunk: Buffer, callback: DataCallback): void {
    let data = chunk;
    let at = 0;
    while (at < data.length) {
      if (this.remaining < 0) {
        const bytes = this.header ? Buffer.concat([this.header, data.subarray(at)]) : data.subarray(at);
        const end = bytes.indexOf(HEADER_END);
        if (end === -1) {
          this.header = bytes.length <= MAX_HEADER_BYTES ? Buffer.from(bytes) : undefined;
          if (!this.header) this.fireError(new Error('Message header too long or without an end.'));
          return;
        }
        this.header = undefined;
        const length = contentLength(bytes.toString('ascii', 0, end));
        if (length === undefined) {
          // Like vscode-jsonrpc: report and drop what came with it; the stream is out of step from here on.
          this.fireError(new Error('Header must provide a numeric Content-Length.'));
          return;
        }
        data = bytes;
        at = end + HEADER_END.length;
        this.remaining = length;
        if (length === 0) this.deliver(callback);
        continue;
      }
      const take = Math.min(this.remaining, data.length - at);
      this.pieces.push(this.decoder.write(data.subarray(at, at + take)));
      at += take;
      this.remaining -= take;
      if (this.remaining === 0) this.deliver(callback);
    }
  }

  private deliver(callback: DataCallback): void {
    this.pieces.push(this.decoder.end());
    const text = this.pieces.join('');
    this.pieces = [];
    this.remaining = -1;
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      // The text is the client's document content: never quoted in the error.
      this.fireError(new Error('Message body is not JSON.'));
      return;
    }
    if ((message as { method?: unknown }).method === 'shutdown') this.sawShutdown = true;
    callback(message);
  }
}
