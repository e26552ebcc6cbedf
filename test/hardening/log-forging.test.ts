// Issue 11, item 3: what a peer sends (client ids, Error texts) cannot forge lines in `fedfuse serve`'s log nor
// flood it: control characters are escaped, logged text is capped, and an Error from a connection that has not joined
// is a protocol error (answered, counted, disconnected at the limit).
import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';

const CLI = join(process.cwd(), 'bin', 'fedfuse.js');
const MIB = 1024 * 1024;
const FORGED = '[server] client carol joined (600 examples)';

/** `fedfuse serve --verbose` with its whole output (stdout and stderr, interleaved as read) kept. */
class ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';

  constructor(config: string, logFile: string) {
    this.child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--verbose', '--log-file', logFile]);
    this.child.stdout.on('data', (b: Buffer) => (this.output += b.toString()));
    this.child.stderr.on('data', (b: Buffer) => (this.output += b.toString()));
  }

  get lines(): string[] {
    return this.output.split('\n');
  }

  /** Waits until the output matches (it only grows). */
  async waitFor(pattern: RegExp, what: string): Promise<RegExpExecArray> {
    return within(
      (async () => {
        for (;;) {
          const hit = pattern.exec(this.output);
          if (hit) return hit;
          if (this.child.exitCode !== null) throw new Error(`serve exited: ${this.output}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      })(),
      what,
    );
  }
}

async function connected(url: string): Promise<RawPeer> {
  const peer = new RawPeer(url);
  await peer.connected();
  return peer;
}

/** Replies until the server's heartbeat answer or the disconnect. */
async function repliesUntilHeartbeat(peer: RawPeer): Promise<string[]> {
  const errors: string[] = [];
  if (peer.socket.connected) peer.channel.send({ heartbeat: { sentUnixMs: 1 } });
  const closed = peer.disconnected.then(() => 'closed' as const);
  for (;;) {
    const env = await within(Promise.race([peer.nextOf('error', 'heartbeat'), closed]), 'replies');
    if (env === 'closed' || env.body === 'heartbeat') return errors;
    errors.push(`${fedfuse.v1.ErrorCode[env.error!.code ?? 0]}: ${env.error!.message}`);
  }
}

describe('hardening: log forging and flooding through `fedfuse serve` (issue 11, item 3)', function () {
  this.timeout(120_000);
  let dir: string;
  let serve: ServeProcess;
  let url: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-logforge-'));
    await writeFile(
      join(dir, 'server.yaml'),
      [
        'port: 0',
        'rounds: 1',
        'minClients: 2',
        `tokens: { alice: "${TOKENS.alice}", bob: "${TOKENS.bob}" }`,
        'model: { kind: mlp, widths: [784, 32, 10] }',
        // The attacks are at the transport: the plainest strategy, no probe set needed.
        'strategy: { name: fedavg }',
      ].join('\n'),
    );
    serve = new ServeProcess(join(dir, 'server.yaml'), join(dir, 'serve.jsonl'));
    url = (await serve.waitFor(/serving on (http:\/\/\S+)/, 'serve prints its url'))[1];
  });
  after(async () => {
    if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('a Join whose client id holds NUL and a newline writes no forged line; the id is escaped', async () => {
    const peer = await connected(url);
    peer.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice\u0000\nFAKE LOG LINE', authToken: 'guess-0001' } });
    await within(peer.disconnected, 'the failed join is closed');
    await serve.waitFor(/FAKE LOG LINE/, 'the join is logged');
    expect(serve.lines.filter((l) => l.startsWith('FAKE LOG LINE'))).to.deep.equal([]);
    expect(serve.output).not.to.include('\u0000');
    expect(serve.output).to.include('alice\\u0000\\nFAKE LOG LINE');
  });

  it('an Error envelope from a socket that never joined is refused as a protocol error and cannot forge a line', async () => {
    const peer = await connected(url);
    peer.channel.send({ error: { code: fedfuse.v1.ErrorCode.CLIENT_FAILED, message: `oops\n${FORGED}\r\n\u001b[2J` } });
    expect(await repliesUntilHeartbeat(peer)).to.deep.equal(['UNKNOWN_CLIENT: send Join before any Error message']);
    await serve.waitFor(/send Join before any Error message/, 'the refusal is logged');
    expect(serve.lines.filter((l) => l.includes(FORGED) && !l.includes('oops'))).to.deep.equal([]);
    expect(serve.output).not.to.include('\u001b');
    peer.close();
  });

  it("a joined client's Error text is escaped and capped in serve's output", async () => {
    const alice = new RawPeer(url);
    expect((await within(alice.join('alice', TOKENS.alice), 'alice joins')).body).to.equal('welcome');
    alice.channel.send({ error: { code: fedfuse.v1.ErrorCode.CLIENT_FAILED, message: `boom\n${FORGED}\n${'x'.repeat(MIB)}` } });
    await serve.waitFor(/client alice (reported|failed)[^\n]*boom/, 'the client error is printed');
    expect(serve.lines.filter((l) => l.startsWith(FORGED))).to.deep.equal([]);
    expect(serve.lines.every((l) => l.length <= 2000), 'no line longer than 2000 characters').to.equal(true);
    alice.close();
  });

  it('5 Error messages of 20 MiB from a socket that never joined grow the log by < 64 KiB and end in a disconnect', async () => {
    const before = serve.output.length;
    const peer = await connected(url);
    for (let i = 0; i < 5 && peer.socket.connected; i++) {
      peer.channel.send({ error: { code: fedfuse.v1.ErrorCode.CLIENT_FAILED, message: `${i}`.repeat(20 * MIB) } });
    }
    await repliesUntilHeartbeat(peer);
    // A marker line after the flood: once it is out, everything the flood caused is out too.
    const marker = await connected(url);
    marker.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: 'marker-after-flood', authToken: 'x-0000001' } });
    await serve.waitFor(/marker-after-flood/, 'the marker line');
    const grew = serve.output.length - before;
    console.log(`      log grew by ${grew} bytes under 5 × 20 MiB Error messages from a never-joined socket`);
    expect(grew).to.be.below(64 * 1024);
    marker.close();
    peer.close();
  });

  it('--log-file: every line of the JSON-lines log is one JSON object; what peers sent stays inside its fields', async () => {
    const text = await readFile(join(dir, 'serve.jsonl'), 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; event?: string; clientId?: string; message?: string });
    console.log(`      --log-file: ${lines.length} JSON lines, ${text.length} bytes after all of the above`);
    expect(records.some((r) => r.msg.includes('FAKE LOG LINE'))).to.equal(true);
    const clientError = records.find((r) => r.event === 'client-error');
    expect(clientError?.clientId).to.equal('alice');
    expect(clientError?.message).to.match(/^boom\\n\[server\] client carol joined/);
    expect(records.filter((r) => r.event === 'client-joined').map((r) => r.clientId)).to.deep.equal(['alice']);
    expect(text.length).to.be.below(256 * 1024);
  });
});
