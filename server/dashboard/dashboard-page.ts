// The dashboard's single page: inline CSS and plain inline JS (no external scripts, fonts or CDNs). The script
// listens to /events (server-sent events, one full state per message) and redraws; it only ever writes text with
// textContent and builds the chart with createElementNS, so no id or name from a client can become markup.
import { createHash } from 'node:crypto';

const STYLE = `
body { margin: 0; background: #f6f6f4; color: #222; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 18px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card .label { color: #666; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-variant-numeric: tabular-nums; }
.panel { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 14px; margin-bottom: 16px; }
.row { display: flex; flex-wrap: wrap; gap: 16px; }
.row > .panel { flex: 1 1 320px; }
.row > .panel.wide { flex: 3 1 520px; }
#connection.live { color: #1a7f37; }
#connection.down { color: #b42318; }
ul#clients { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; columns: 2; }
ul#clients li { padding: 1px 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ul#clients li.sampled::after { content: " · training"; color: #8a6d00; }
ul#clients li.answered::after { content: " · answered"; color: #1a7f37; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 3px 8px; text-align: right; white-space: nowrap; }
th { color: #555; font-weight: 600; }
#chart svg { width: 100%; height: auto; display: block; }
#node-rows tr.leader td { color: #1a7f37; font-weight: 600; }
#node-rows tr.down td { color: #999; }
#round-rows tr.refused td { color: #b42318; }
.muted { color: #777; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  function $(id) { return document.getElementById(id); }
  function setText(id, text) { var el = $(id); if (el.textContent !== text) el.textContent = text; }
  function pct(v) { return (100 * v).toFixed(2) + '%'; }
  function bytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    if (n < 1073741824) return (n / 1048576).toFixed(1) + ' MiB';
    return (n / 1073741824).toFixed(2) + ' GiB';
  }
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) node.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(node);
    return node;
  }
  function label(parent, x, y, text, anchor) {
    var t = el('text', { x: x, y: y, 'text-anchor': anchor || 'middle', 'font-size': 12, fill: '#333' }, parent);
    t.textContent = text;
    return t;
  }
  function niceStep(span, target) {
    var rough = span / target, step = Math.pow(10, Math.floor(Math.log10(rough))), r = rough / step;
    return step * (r > 5 ? 10 : r > 2 ? 5 : r > 1 ? 2 : 1);
  }

  function drawChart(state) {
    var box = $('chart');
    var points = state.rounds.filter(function (r) { return typeof r.accuracy === 'number'; });
    var W = 720, H = 300, L = 56, R = 16, T = 16, B = 40;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'test accuracy by round' });
    var lastRound = points.length ? points[points.length - 1].round : 1;
    var xMax = Math.max(2, lastRound, state.totalRounds || 0), xMin = 1;
    var accs = points.map(function (p) { return p.accuracy; });
    var yStep = 0.1, yMin = 0, yMax = 1;
    if (accs.length) {
      var lo = Math.min.apply(null, accs), hi = Math.max.apply(null, accs);
      yStep = niceStep(Math.max(hi - lo, 0.05), 5);
      yMin = Math.max(0, Math.floor(lo / yStep) * yStep);
      yMax = Math.min(1, Math.ceil(hi / yStep) * yStep);
      if (yMax - yMin < yStep) { yMin = Math.max(0, yMin - yStep); yMax = Math.min(1, yMin + 2 * yStep); }
    }
    function sx(v) { return L + (v - xMin) / (xMax - xMin) * (W - L - R); }
    function sy(v) { return T + (1 - (v - yMin) / (yMax - yMin)) * (H - T - B); }
    el('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }, svg);
    var decimals = Math.max(0, -Math.floor(Math.log10(yStep * 100) + 1e-9));
    for (var y = yMin; y <= yMax + yStep / 1e6; y += yStep) {
      el('line', { x1: L, x2: W - R, y1: sy(y), y2: sy(y), stroke: '#e3e3e3' }, svg);
      label(svg, L - 6, sy(y) + 4, (100 * y).toFixed(decimals) + '%', 'end');
    }
    var xStep = Math.max(1, Math.round(niceStep(xMax - xMin, 8)));
    for (var x = Math.ceil(xMin / xStep) * xStep; x <= xMax; x += xStep) label(svg, sx(x), H - B + 16, String(x));
    el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#444' }, svg);
    el('line', { x1: L, x2: L, y1: T, y2: H - B, stroke: '#444' }, svg);
    label(svg, (L + W - R) / 2, H - 6, 'round');
    if (points.length) {
      var d = points.map(function (p, i) { return (i ? 'L' : 'M') + sx(p.round).toFixed(1) + ',' + sy(p.accuracy).toFixed(1); }).join('');
      el('path', { d: d, fill: 'none', stroke: '#0072B2', 'stroke-width': 2.2, 'class': 'accuracy-line' }, svg);
      points.forEach(function (p) {
        var c = el('circle', { cx: sx(p.round), cy: sy(p.accuracy), r: 3.5, fill: '#0072B2', 'class': 'point', 'data-round': p.round }, svg);
        el('title', {}, c).textContent = 'round ' + p.round + ': ' + pct(p.accuracy);
      });
    } else {
      label(svg, (L + W - R) / 2, (T + H - B) / 2, 'no evaluated round yet');
    }
    box.replaceChildren(svg);
  }

  function drawClients(state) {
    var list = $('clients');
    var sampled = new Set(state.sampled), accepted = new Set(state.accepted);
    var items = state.connectedClients.map(function (id) {
      var li = document.createElement('li');
      li.textContent = id;
      li.title = id;
      if (accepted.has(id)) li.className = 'answered';
      else if (sampled.has(id) && state.phase === 'training') li.className = 'sampled';
      return li;
    });
    list.replaceChildren.apply(list, items);
  }

  /** A table row of text cells (never markup: ids and reasons come from peers). */
  function textRow(texts) {
    var tr = document.createElement('tr');
    texts.forEach(function (text) {
      var td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    });
    return tr;
  }

  function probeLoss(v) {
    return v === null ? 'not finite' : v >= 1e4 ? v.toExponential(2) : v.toFixed(3);
  }

  /** What the round published; with a probe set, the held-out loss of its candidate / of the previous model. */
  function guardText(g) {
    if (!g) return '–';
    var what = g.published === 'candidate' ? 'new model' : g.published === 'robust' ? 'robust aggregate' : 'kept previous';
    return g.candidateLoss === undefined ? what : what + ' (' + probeLoss(g.candidateLoss) + ' / ' + probeLoss(g.previousLoss) + ')';
  }

  // Tiered federations: each tier's model accuracy after the round and the tier's bytes.
  function tiersText(tiers) {
    if (!tiers) return '–';
    return Object.keys(tiers).map(function (name) {
      var t = tiers[name];
      return name + ' ' + (t.accuracy === undefined ? '–' : pct(t.accuracy)) + ' (' + bytes(t.bytesSent) + ' / ' + bytes(t.bytesReceived) + ')';
    }).join('; ');
  }

  function drawRounds(state) {
    var rows = state.rounds.slice().reverse().map(function (r) {
      var tr = textRow([String(r.round), r.accuracy === undefined ? '–' : pct(r.accuracy), r.loss === undefined ? '–' : r.loss.toFixed(4),
       String(r.participants), String(r.stragglers), String(r.rejected), bytes(r.bytesSent), bytes(r.bytesReceived),
       r.seconds.toFixed(1), r.aggregateSeconds.toFixed(2),
       r.fusion ? r.fusion.path + ' (' + r.fusion.fusedProbeLoss.toFixed(3) + ' / ' + r.fusion.averageProbeLoss.toFixed(3) + ')' : '–',
       guardText(r.guard),
       tiersText(r.tiers)
      ]);
      tr.setAttribute('data-round', String(r.round));
      if (r.guard && r.guard.published !== 'candidate') tr.className = 'refused';
      return tr;
    });
    var body = $('round-rows');
    body.replaceChildren.apply(body, rows);
  }

  function drawNodes(state) {
    var nodes = state.nodes || [];
    $('nodes-panel').hidden = nodes.length === 0;
    var rows = nodes.map(function (n) {
      var tr = textRow([n.nodeId, n.leader ? 'leader' : n.alive ? 'alive' : 'gone', String(n.clients), n.url]);
      tr.setAttribute('data-node', n.nodeId);
      tr.className = n.leader ? 'leader' : n.alive ? '' : 'down';
      return tr;
    });
    var body = $('node-rows');
    body.replaceChildren.apply(body, rows);
  }

  function drawProblems(state) {
    var problems = state.problems || [];
    $('problems-panel').hidden = problems.length === 0;
    var rows = problems.slice().reverse().map(function (p) {
      return textRow([String(p.round), p.clientId, p.kind, p.detail]);
    });
    var body = $('problem-rows');
    body.replaceChildren.apply(body, rows);
  }

  function drawBans(state) {
    var banned = state.banned || [];
    $('bans-panel').hidden = banned.length === 0;
    var rows = banned.map(function (b) {
      var tr = textRow([b.clientId, b.fromRound + '–' + b.untilRound, b.reason]);
      tr.setAttribute('data-banned', b.clientId);
      return tr;
    });
    var body = $('ban-rows');
    body.replaceChildren.apply(body, rows);
  }

  function render(state) {
    document.title = state.title;
    setText('title', state.title);
    setText('phase', state.phase);
    setText('round', state.totalRounds ? state.currentRound + ' / ' + state.totalRounds : String(state.currentRound));
    setText('client-count', String(state.connectedClients.length));
    var last = null;
    for (var i = state.rounds.length - 1; i >= 0 && !last; i--) if (typeof state.rounds[i].accuracy === 'number') last = state.rounds[i];
    setText('accuracy', last ? pct(last.accuracy) : '–');
    setText('training', state.phase === 'training' ? state.accepted.length + ' of ' + state.sampled.length + ' sampled clients answered' : '');
    drawClients(state);
    drawNodes(state);
    drawRounds(state);
    drawProblems(state);
    drawBans(state);
    drawChart(state);
  }

  function status(text, cls) { var c = $('connection'); c.textContent = text; c.className = cls; }
  var source = new EventSource('events');
  source.addEventListener('state', function (e) {
    status('live', 'live');
    render(JSON.parse(e.data));
  });
  source.onerror = function () { status('disconnected, retrying…', 'down'); };
})();
`;

const BODY = `
<main>
  <h1 id="title">fedfuse</h1>
  <div class="cards">
    <div class="card"><div class="label">phase</div><div class="value" id="phase">–</div><div class="muted" id="training"></div></div>
    <div class="card"><div class="label">round</div><div class="value" id="round">–</div></div>
    <div class="card"><div class="label">clients connected</div><div class="value" id="client-count">–</div></div>
    <div class="card"><div class="label">last test accuracy</div><div class="value" id="accuracy">–</div></div>
    <div class="card"><div class="label">dashboard</div><div class="value" id="connection">connecting…</div></div>
  </div>
  <div class="row">
    <div class="panel wide"><h2>Test accuracy by round</h2><div id="chart"></div></div>
    <div class="panel"><h2>Connected clients</h2><ul id="clients"></ul></div>
  </div>
  <div class="panel" id="nodes-panel" hidden>
    <h2>Cluster nodes</h2>
    <table>
      <thead><tr><th>node</th><th>role</th><th>clients</th><th>url</th></tr></thead>
      <tbody id="node-rows"></tbody>
    </table>
  </div>
  <div class="panel">
    <h2>Finished rounds</h2>
    <table>
      <thead><tr><th>round</th><th>test acc</th><th>test loss</th><th>clients</th><th>late</th><th>rejected</th>
      <th>sent</th><th>received</th><th>round s</th><th>aggregate s</th>
      <th title="fusing strategies: fused model kept or fallback to the plain average; held-out probe loss fused / average">fusion</th>
      <th title="what the round published: its new model, the robust aggregate, or the previous model kept because the new one was far worse; held-out probe loss of the new model / the previous model">published</th>
      <th title="device tiers: test accuracy of the model each tier runs after the round, and its clients' bytes sent / received">tiers</th></tr></thead>
      <tbody id="round-rows"></tbody>
    </table>
  </div>
  <div class="panel" id="bans-panel" hidden>
    <h2>Banned clients (left out of rounds)</h2>
    <table>
      <thead><tr><th>client</th><th>rounds</th><th>why</th></tr></thead>
      <tbody id="ban-rows"></tbody>
    </table>
  </div>
  <div class="panel" id="problems-panel" hidden>
    <h2>Problems with clients (newest first)</h2>
    <table>
      <thead><tr><th>round</th><th>client</th><th>what</th><th>detail</th></tr></thead>
      <tbody id="problem-rows"></tbody>
    </table>
  </div>
  <p class="muted">Read-only view of this federation server. Updates arrive as rounds progress.</p>
</main>`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

export interface DashboardPage {
  html: string;
  /** Allows exactly this page's inline script and style, and connections back to this server only. */
  contentSecurityPolicy: string;
}

export function dashboardPage(): DashboardPage {
  const html =
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>fedfuse dashboard</title>' +
    `<style>${STYLE}</style></head><body>${BODY}<script>${SCRIPT}</script></body></html>\n`;
  const contentSecurityPolicy = [
    // No inline style attributes anywhere (CSP would block them): all styling is in the one <style> element.
    "default-src 'none'",
    `script-src 'sha256-${sha256Base64(SCRIPT)}'`,
    `style-src 'sha256-${sha256Base64(STYLE)}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
