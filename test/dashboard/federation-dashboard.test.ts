// The dashboard on a real federation: FederationServer + two FederatedClients on MNIST slices over real sockets,
// the page open in headless Chromium the whole time.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import type { RoundSummary } from '../../server/federation-server.js';
import { Dashboard } from '../../server/dashboard/dashboard.js';
import { dashboardSourceOf } from '../../server/dashboard/federation-source.js';
import { findChromium, launchHeadlessChromium, type HeadlessChromium } from '../../scenarios/report/png.js';
import { disposeData, evaluateState, mnistSlice, quietServer, silent, TOKENS, TRAINING } from '../federation/helpers.js';

describe('dashboard: live view of a real federation run', function () {
  this.timeout(120_000);
  let browser: HeadlessChromium;
  let alice: LocalData;
  let bob: LocalData;
  let test: LocalData;

  before(async function () {
    if (!findChromium()) {
      console.warn('\n  !!! SKIPPING dashboard federation test: no Chromium found (apt-get install -y chromium, or set FEDFUSE_CHROMIUM) !!!\n');
      this.skip();
    }
    await initBackend();
    [alice, bob, test] = await Promise.all([mnistSlice(0, 200), mnistSlice(200, 150), mnistSlice(20_000, 300)]);
    browser = await launchHeadlessChromium();
  });

  after(async () => {
    await browser?.close();
    if (alice) disposeData(alice, bob, test);
  });

  it('shows the clients, the phase and each round with its accuracy while the federation runs', async () => {
    const ROUNDS = 2;
    let page: Page | undefined;
    const seenWhileEvaluating: { phase: string | null; rows: number; clients: string[] }[] = [];
    const { server } = quietServer({
      rounds: ROUNDS,
      training: { ...TRAINING, localEpochs: 1 },
      evaluate: async (state) => {
        // The server is evaluating round k: the page must already show rounds 1..k-1 and both clients,
        // so it updates while the run goes on, not only at the end.
        const k = seenWhileEvaluating.length + 1;
        await page!.waitForFunction((done) => document.querySelectorAll('#round-rows tr').length === done, k - 1);
        await page!.waitForFunction(() => document.getElementById('phase')!.textContent === 'evaluating');
        await page!.waitForFunction(() => document.querySelectorAll('#clients li').length === 2);
        seenWhileEvaluating.push(
          await page!.evaluate(() => ({
            phase: document.getElementById('phase')!.textContent,
            rows: document.querySelectorAll('#round-rows tr').length,
            clients: Array.from(document.querySelectorAll('#clients li'), (li) => li.textContent ?? ''),
          })),
        );
        return evaluateState(state, test);
      },
    });
    const summaries: RoundSummary[] = [];
    server.on('round-finished', (s) => summaries.push(s));
    const { url: serverUrl } = await server.start();
    const dashboard = new Dashboard(dashboardSourceOf(server, { totalRounds: ROUNDS }), { title: 'real run' });
    const { url } = await dashboard.start();
    const clients = [
      new FederatedClient({ serverUrl, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent }),
      new FederatedClient({ serverUrl, clientId: 'bob', token: TOKENS.bob, data: bob, logger: silent }),
    ];
    try {
      page = await browser.context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(url);
      await page.waitForFunction(() => document.getElementById('connection')!.textContent === 'live');
      expect(await page.evaluate(() => document.getElementById('phase')!.textContent)).to.equal('waiting for clients');
      expect(await page.evaluate(() => document.getElementById('round')!.textContent)).to.equal(`1 / ${ROUNDS}`);

      await Promise.all(clients.map((c) => c.start()));
      await server.finished();
      await page.waitForFunction((n) => document.querySelectorAll('#round-rows tr').length === n, ROUNDS);
      await page.waitForFunction(() => document.getElementById('phase')!.textContent === 'finished');

      expect(seenWhileEvaluating).to.deep.equal([
        { phase: 'evaluating', rows: 0, clients: ['alice', 'bob'] },
        { phase: 'evaluating', rows: 1, clients: ['alice', 'bob'] },
      ]);
      expect(await page.evaluate(() => document.getElementById('round')!.textContent)).to.equal(`${ROUNDS} / ${ROUNDS}`);
      // Each row shows the server's own summary of that round.
      for (const s of summaries) {
        const cells = await page.evaluate(
          (r) => Array.from(document.querySelectorAll(`#round-rows tr[data-round="${r}"] td`), (td) => td.textContent),
          s.round,
        );
        expect(cells.slice(0, 4)).to.deep.equal([String(s.round), `${(100 * s.accuracy!).toFixed(2)}%`, s.loss!.toFixed(4), '2']);
      }
      expect(await page.locator('#chart circle.point').count()).to.equal(ROUNDS);
      const last = summaries[summaries.length - 1];
      expect(await page.evaluate(() => document.getElementById('accuracy')!.textContent)).to.equal(`${(100 * last.accuracy!).toFixed(2)}%`);

      // Nothing secret reached the browser.
      const everything = (await page.content()) + (await (await fetch(new URL('state.json', url))).text());
      for (const token of Object.values(TOKENS)) expect(everything).to.not.contain(token);
    } finally {
      await page?.close();
      await dashboard.stop();
      await Promise.all(clients.map((c) => c.stop()));
      await server.stop();
      clients.forEach((c) => c.model?.dispose());
    }
  });
});
