// The --stdio reader: messages framed by Content-Length in bytes, whatever the chunking, decoded as UTF-8.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Message } from 'vscode-jsonrpc/node';
import { StdioMessageReader } from '../../server/src/stdioReader';

function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

function reader(): { input: PassThrough; messages: Message[]; errors: string[]; reader: StdioMessageReader } {
  const input = new PassThrough();
  const r = new StdioMessageReader(input);
  const messages: Message[] = [];
  const errors: string[] = [];
  r.onError((error) => errors.push(error.message));
  r.listen((message) => messages.push(message));
  return { input, messages, errors, reader: r };
}

/** Writes `bytes` cut at the given sizes (cycled), each piece its own 'data' event. */
function feed(input: PassThrough, bytes: Buffer, sizes: number[]): void {
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    input.emit('data', bytes.subarray(at, at + size));
    at += size;
  }
}

const A = { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { text: 'GET http://x\n# é ✓ 😀\n'.repeat(50) } };
const B = { jsonrpc: '2.0', id: 1, method: 'shutdown' };

describe('server: stdio message reader', () => {
  it('reads several messages from one chunk and one message from many, at every cut (headers, UTF-8 sequences)', () => {
    const bytes = Buffer.concat([frame(A), frame(B), frame(A)]);
    for (const sizes of [[bytes.length], [1], [2, 3, 5], [17], [64, 1], [frame(A).length - 1]]) {
      const { input, messages, errors } = reader();
      feed(input, bytes, sizes);
      assert.deepEqual(errors, [], `cut ${sizes.join(',')}`);
      assert.deepEqual(messages, [A, B, A], `cut ${sizes.join(',')}`);
    }
  });

  it('takes other headers and any case of Content-Length', () => {
    const { input, messages } = reader();
    const body = Buffer.from(JSON.stringify(B), 'utf8');
    input.emit('data', Buffer.concat([Buffer.from(`content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: ${body.length}\r\n\r\n`), body]));
    assert.deepEqual(messages, [B]);
  });

  it('notes a shutdown request for the exit code', () => {
    const { input, reader: r } = reader();
    input.emit('data', frame(A));
    assert.equal(r.sawShutdown, false);
    input.emit('data', frame(B));
    assert.equal(r.sawShutdown, true);
  });

  it('reports a header without a length, and a body that is not JSON without quoting it', () => {
    const missing = reader();
    missing.input.emit('data', Buffer.from('Content-Type: x\r\n\r\n{}'));
    assert.equal(missing.errors.length, 1);
    assert.deepEqual(missing.messages, []);

    const secret = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const bad = reader();
    bad.input.emit('data', Buffer.from(`Content-Length: ${secret.length + 1}\r\n\r\n{${secret}`));
    assert.equal(bad.errors.length, 1);
    assert.ok(!bad.errors[0]!.includes(secret));
    // The stream stays in step: the next message is read.
    bad.input.emit('data', frame(B));
    assert.deepEqual(bad.messages, [B]);
  });

  it('fires close when its input closes', () => {
    const { input, reader: r } = reader();
    let closed = false;
    r.onClose(() => (closed = true));
    input.emit('close');
    assert.equal(closed, true);
  });
});
