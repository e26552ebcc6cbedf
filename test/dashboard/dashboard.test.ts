import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import { Dashboard } from '../../server/dashboard/dashboard.js';
import type { DashboardSnapshot, DashboardSource } from '../../server/dashboard/dashboard-source.js';
import { findChromium, launchHeadlessChromium, type HeadlessChromium } from '../../scenarios/report/png.js';

/** Stands in for the FederationServer: the same events, and a snapshot without a phase (so it is inferred). */
class FakeFederation extends EventEmitter implements DashboardSource {
  snap: DashboardSnapshot = { currentRound: 0, totalRounds: 3 };
  snapshot(): DashboardSnapshot {
    return this.snap;
  }
  // Like the server, the round counter moves when a round starts.
  override emit(event: string, payload: unknown): boolean {
    if (event === 'round-started') this.snap = { ...this.snap, currentRound: (payload as { round: number }).round };
    return super.emit(event, payload);
  }
}

const EVIL_ID = '<img src=x onerror="window.pwned=1">';

function finished(round: number, accuracy: number) {
  return {
    round,
    participants: ['alice', 'bob'],
    stragglers: [],
    rejected: [],
    accuracy,
    loss: 1 - accuracy,
    bytesSent: 2048,
    bytesReceived: 4096,
    seconds: 2,
    aggregateSeconds: 0.125,
    token: 'SECRET-TOKEN',
  };
}

function rawRequest(url: string, opts: { method?: string; host?: string }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: opts.method ?? 'GET', headers: opts.host ? { host: opts.host } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard: HTTP server', () => {
  let source: FakeFederation;
  let dashboard: Dashboard;
  let url: string;
  const logged: string[] = [];

  beforeEach(async () => {
    source = new FakeFederation();
    dashboard = new Dashboard(source, { log: (l) => logged.push(l), title: 'test run' });
    ({ url } = await dashboard.start());
  });

  afterEach(async () => {
    await dashboard.stop();
  });

  it('serves the page on 127.0.0.1 with a strict content security policy', async () => {
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(url);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).to.match(/default-src 'none'/);
    expect(csp).to.match(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).to.not.match(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    expect(html).to.not.match(/<script[^>]+src=|<link|https?:\/\/(?!www\.w3\.org)/);
  });

  it('publishes only whitelisted state: no token or weights from event payloads', async () => {
    source.emit('client-joined', { clientId: 'alice', token: 'SECRET-TOKEN' });
    source.emit('round-started', { round: 1, sampled: ['alice'] });
    source.emit('update-accepted', { round: 1, clientId: 'alice', update: { weights: 'SECRET-WEIGHTS' } });
    source.emit('round-finished', finished(1, 0.5));
    const body = await (await fetch(new URL('state.json', url))).text();
    expect(body).to.not.match(/SECRET/);
    const state = JSON.parse(body);
    expect(state.rounds).to.have.length(1);
    expect(state.rounds[0].accuracy).to.equal(0.5);
    expect(state.connectedClients).to.deep.equal(['alice']);
  });

  it('is read-only, answers only known paths, and refuses foreign Host headers', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await rawRequest(url, { method });
      expect(res.status, method).to.equal(405);
      expect(res.headers.allow).to.equal('GET, HEAD');
    }
    expect((await rawRequest(new URL('admin', url).href, {})).status).to.equal(404);
    expect((await rawRequest(url, { host: 'evil.example:80' })).status).to.equal(421);
    expect((await rawRequest(url, { host: `localhost:${new URL(url).port}` })).status).to.equal(200);
  });

  it('streams the state as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(new URL('events', url), { signal: controller.signal });
    expect(res.headers.get('content-type')).to.match(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const nextMessage = async (): Promise<Record<string, unknown>> => {
      for (;;) {
        const end = text.indexOf('\n\n', text.indexOf('event: state'));
        if (text.includes('event: state') && end >= 0) {
          const message = text.slice(text.indexOf('event: state'), end);
          text = text.slice(end + 2);
          return JSON.parse(message.split('\ndata: ')[1]);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    expect((await nextMessage()).title).to.equal('test run');
    source.emit('client-joined', 'carol');
    expect((await nextMessage()).connectedClients).to.deep.equal(['carol']);
    controller.abort();
  });

  it('logs an unreadable event once and keeps going; stop() unsubscribes', async () => {
    source.emit('round-finished', { round: 'one' });
    source.emit('round-finished', { round: 'one' });
    expect(logged.filter((l) => l.includes('round-finished: round'))).to.have.length(1);
    source.emit('client-joined', 'dave');
    expect(dashboard.state.connectedClients).to.deep.equal(['dave']);
    await dashboard.stop();
    expect(source.listenerCount('round-finished')).to.equal(0);
    expect(source.listenerCount('client-joined')).to.equal(0);
  });
});

describe('dashboard: in a real headless Chromium', function () {
  let browser: HeadlessChromium;
  let source: FakeFederation;
  let dashboard: Dashboard;
  let page: Page;

  before(async function () {
    if (!findChromium()) {
      console.warn('\n  !!! SKIPPING dashboard browser tests: no Chromium found (apt-get install -y chromium, or set FEDFUSE_CHROMIUM) !!!\n');
      this.skip();
    }
    browser = await launchHeadlessChromium();
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    source = new FakeFederation();
    dashboard = new Dashboard(source, { title: 'fake federation' });
    const { url } = await dashboard.start();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') cspViolations.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('connection')!.textContent === 'live');
    expect(cspViolations).to.deep.equal([]);
  });

  afterEach(async () => {
    await page?.close();
    await dashboard.stop();
  });

  const text = (id: string) => page.evaluate((i) => document.getElementById(i)!.textContent, id);

  it('shows clients, phase, rounds and accuracy as the rounds finish', async () => {
    expect(await page.title()).to.equal('fake federation');
    expect(await text('phase')).to.equal('waiting for clients');
    expect(await text('round')).to.equal('0 / 3');

    source.emit('client-joined', { clientId: 'alice' });
    source.emit('client-joined', { clientId: 'bob' });
    source.emit('client-joined', EVIL_ID);
    await page.waitForFunction(() => document.querySelectorAll('#clients li').length === 3);
    expect(await page.evaluate(() => Array.from(document.querySelectorAll('#clients li'), (li) => li.textContent))).to.deep.equal(
      [EVIL_ID, 'alice', 'bob'],
    );
    expect(await text('client-count')).to.equal('3');

    source.emit('round-started', { round: 1, sampled: ['alice', 'bob'] });
    await page.waitForFunction(() => document.getElementById('phase')!.textContent === 'training');
    expect(await text('round')).to.equal('1 / 3');
    expect(await text('training')).to.equal('0 of 2 sampled clients answered');
    source.emit('update-accepted', { round: 1, clientId: 'alice' });
    await page.waitForFunction(() => document.getElementById('training')!.textContent!.startsWith('1 of 2'));
    source.emit('update-accepted', { round: 1, clientId: 'bob' });
    await page.waitForFunction(() => document.getElementById('phase')!.textContent === 'aggregating');

    source.emit('round-finished', finished(1, 0.5));
    await page.waitForSelector('#round-rows tr[data-round="1"]');
    const row1 = await page.evaluate(() => Array.from(document.querySelectorAll('#round-rows tr[data-round="1"] td'), (td) => td.textContent));
    expect(row1).to.deep.equal(['1', '50.00%', '0.5000', '2', '0', '0', '2.0 KiB', '4.0 KiB', '2.0', '0.13', '–', '–', '–']);
    expect(await text('accuracy')).to.equal('50.00%');
    expect(await page.locator('#chart circle.point').count()).to.equal(1);

    source.emit('round-started', { round: 2, sampled: ['alice', 'bob'] });
    // A fusing strategy's round says which path it took and the held-out losses behind it.
    const fusion = { path: 'fallback', fusedProbeLoss: 0.4321, averageProbeLoss: 0.25, standardError: 0.01, checkRows: 80, ridges: [1] };
    source.emit('round-finished', { ...finished(2, 0.75), fusion });
    await page.waitForSelector('#round-rows tr[data-round="2"]');
    const row2 = await page.evaluate(() => Array.from(document.querySelectorAll('#round-rows tr[data-round="2"] td'), (td) => td.textContent));
    expect(row2.at(-3)).to.equal('fallback (0.432 / 0.250)');
    expect(await text('accuracy')).to.equal('75.00%');
    expect(await page.locator('#chart circle.point').count()).to.equal(2);
    // Higher accuracy is drawn higher up.
    const ys = await page.evaluate(() => Array.from(document.querySelectorAll('#chart circle.point'), (c) => Number(c.getAttribute('cy'))));
    expect(ys[1]).to.be.lessThan(ys[0]);

    source.emit('round-started', { round: 3, sampled: ['alice'] });
    // Issue 19: a round whose candidate was refused says so, with both held-out losses, in red; a tiered federation's
    // round also shows each tier's model accuracy and its clients' bytes.
    const guard = { published: 'previous', reason: 'the candidate has …', lossKind: 'cross-entropy', candidateLoss: null, previousLoss: 0.3012, checkRows: 40 };
    const tiers = {
      small: { participants: 1, parameters: 6370, accuracy: 0.7, loss: 0.9, bytesSent: 1024, bytesReceived: 512 },
      full: { participants: 0, parameters: 25450, accuracy: 0.8, loss: 0.6, bytesSent: 4096, bytesReceived: 0 },
    };
    source.emit('round-finished', { ...finished(3, 0.8), guard, tiers });
    await page.waitForFunction(() => document.getElementById('phase')!.textContent === 'finished');
    expect(await page.locator('#round-rows tr').count()).to.equal(3);
    const row3 = await page.evaluate(() => Array.from(document.querySelectorAll('#round-rows tr[data-round="3"] td'), (td) => td.textContent));
    expect(row3.at(-2)).to.equal('kept previous (not finite / 0.301)');
    expect(row3.at(-1)).to.equal('small 70.00% (1.0 KiB / 512 B); full 80.00% (4.0 KiB / 0 B)');
    expect(await page.locator('#round-rows tr.refused').count()).to.equal(1);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).to.equal(undefined);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).to.equal(0);
  });

  it('shows a cluster\'s nodes, which one leads and the clients each holds (no nodes panel for one server)', async () => {
    expect(await page.evaluate(() => document.getElementById('nodes-panel')!.hidden)).to.equal(true);
    source.snap = {
      ...source.snap,
      nodes: [
        { nodeId: 'n2', url: 'http://10.0.0.2:8765', alive: true, leader: true, clients: 3 },
        { nodeId: 'n1', url: 'http://10.0.0.1:8765', alive: true, leader: false, clients: 2 },
        { nodeId: EVIL_ID, url: 'http://10.0.0.3:8765', alive: false, leader: false, clients: 0 },
      ],
    };
    source.emit('client-joined', 'alice');
    await page.waitForFunction(() => document.querySelectorAll('#node-rows tr').length === 3);
    expect(await page.evaluate(() => document.getElementById('nodes-panel')!.hidden)).to.equal(false);
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#node-rows tr'), (tr) => [tr.className, ...Array.from(tr.children, (td) => td.textContent)]));
    expect(rows).to.deep.equal([
      ['down', EVIL_ID, 'gone', '0', 'http://10.0.0.3:8765'],
      ['', 'n1', 'alive', '2', 'http://10.0.0.1:8765'],
      ['leader', 'n2', 'leader', '3', 'http://10.0.0.2:8765'],
    ]);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).to.equal(0);
  });

  it('lists problems with clients, newest first, as text (no panel while there are none)', async () => {
    expect(await page.evaluate(() => document.getElementById('problems-panel')!.hidden)).to.equal(true);
    source.emit('update-rejected', { round: 3, clientId: EVIL_ID, code: 'BAD_TENSOR', reason: '<b>NaN</b>' });
    source.emit('client-error', { round: 3, clientId: 'alice', code: 'TRAINING_FAILED', message: 'out of memory' });
    await page.waitForFunction(() => document.querySelectorAll('#problem-rows tr').length === 2);
    expect(await page.evaluate(() => document.getElementById('problems-panel')!.hidden)).to.equal(false);
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#problem-rows tr'), (tr) => Array.from(tr.children, (td) => td.textContent)));
    expect(rows).to.deep.equal([
      ['3', 'alice', 'client error', 'TRAINING_FAILED: out of memory'],
      ['3', EVIL_ID, 'rejected', 'BAD_TENSOR: <b>NaN</b>'],
    ]);
    expect(await page.evaluate(() => document.querySelectorAll('#problem-rows b, img').length)).to.equal(0);
  });

  it('lists the clients banned after the last round, as text (no panel while none is)', async () => {
    expect(await page.evaluate(() => document.getElementById('bans-panel')!.hidden)).to.equal(true);
    const ban = { clientId: EVIL_ID, fromRound: 3, untilRound: 4, reason: 'updates refused or excluded in rounds 1, 2 (2 of the last 3 rounds)' };
    source.emit('round-finished', { ...finished(2, 0.5), banned: [ban] });
    await page.waitForFunction(() => document.querySelectorAll('#ban-rows tr').length === 1);
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#ban-rows tr'), (tr) => Array.from(tr.children, (td) => td.textContent)));
    expect(rows).to.deep.equal([[EVIL_ID, '3–4', ban.reason]]);
    expect(await page.evaluate(() => document.querySelectorAll('#ban-rows b, img').length)).to.equal(0);
    // The next round's summary has no ban in force: the panel goes.
    source.emit('round-finished', { ...finished(5, 0.6), banned: [] });
    await page.waitForFunction(() => document.getElementById('bans-panel')!.hidden);
  });

  it('says when the server went away', async () => {
    await dashboard.stop();
    await page.waitForFunction(() => document.getElementById('connection')!.className === 'down');
    expect(await text('connection')).to.match(/disconnected/);
  });
});
