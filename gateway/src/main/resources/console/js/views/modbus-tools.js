// The commissioning tools of polled devices: a test read of one device (raw registers beside the
// decoded fields) and a scan of a link's unit ids, run as a background job on the gateway.

import {del, get, post} from '../api.js';
import {h, replace, table} from '../dom.js';
import {t} from '../i18n.js';
import {can} from '../session.js';
import {emptyRow, showError} from '../ui.js';

const SCAN_POLL_MS = 500;

/** Whether the device's source offers a test read (asks the gateway once per page). */
export async function offersTestRead(device) {
  const sources = await get('/sources');
  return sources.some((s) => s.name === device.source && s.testRead);
}

/** A card with the "Test read" button and, once run, what was read. */
export function testReadPanel(id) {
  const result = h('div', {id: 'test-read-result'});
  const button = h('button', {type: 'button', class: 'button', id: 'test-read', onclick: run}, t('testRead.run'));

  async function run() {
    button.disabled = true;
    replace(result, h('p', {class: 'hint'}, t('testRead.running')));
    try {
      show(await post(`/devices/${encodeURIComponent(id)}/test-read`));
    } catch (error) {
      replace(result);
      showError(error);
    } finally {
      button.disabled = false;
    }
  }

  function show(read) {
    const fieldsAt = (v) => read.fields.filter((f) => f.table === v.table && f.address === v.address);
    const rows = [];
    for (const v of read.raw) {
      const fields = fieldsAt(v);
      const cells = (f) => [h('td', {}, `${v.table} ${v.address}`), h('td', {class: 'mono'}, v.hex), h('td', {class: 'num'}, v.value),
        h('td', {}, f ? f.name : ''), h('td', {}, f ? f.value + (f.measurement && f.unit ? ` ${f.unit}` : '') : '')];
      if (!fields.length) rows.push(h('tr', {}, cells(null)));
      for (const f of fields) rows.push(h('tr', {}, cells(f)));
    }
    const conditions = read.conditions.map((c) => h('tr', {},
      h('td', {}, c.id), h('td', {}, c.state),
      h('td', {}, c.active === null ? '?' : c.active ? t('testRead.yes') : t('testRead.no')), h('td', {class: 'mono'}, c.nativeCode)));
    const events = read.events.map((e) => h('li', {},
      `${e.type} ${e.phase} · ${Object.entries(e.fields).map(([k, v]) => `${k}=${v}`).join(' ')}`));
    replace(result,
      h('p', {class: 'hint'}, t('testRead.summary', {peer: read.peer, ms: read.durationMs})),
      read.failures.map((f) => h('p', {class: 'form-error', role: 'alert'}, `${f.what}: ${f.reason} (${f.detail})`)),
      table('test-read-registers', [t('testRead.register'), t('testRead.hex'), t('testRead.decimal'), t('testRead.field'),
        t('testRead.value')], rows.length ? rows : [emptyRow(5, t('testRead.nothing'))]),
      conditions.length ? table('test-read-conditions', [t('testRead.condition'), t('testRead.state'), t('testRead.active'),
        t('testRead.tests')], conditions) : null,
      h('h3', {}, t('testRead.events')),
      events.length ? h('ul', {id: 'test-read-events'}, events) : h('p', {class: 'hint'}, t('testRead.noEvents')));
  }

  return h('section', {class: 'card'}, h('h2', {}, t('testRead.title')), h('p', {class: 'hint'}, t('testRead.lead')),
    h('div', {class: 'actions-row'}, button), result);
}

/** A card to scan a link's unit ids; null when the gateway has no link to scan. Returns {element, stop}. */
export async function linkScanPanel() {
  const links = await get('/links');
  if (!links.length) return null;
  const select = h('select', {id: 'scan-link'}, links.map((l) => h('option', {value: l.id}, `${l.id} (${l.transport})`)));
  const first = h('input', {id: 'scan-first', type: 'number', min: 0, max: 255, value: 1});
  const last = h('input', {id: 'scan-last', type: 'number', min: 0, max: 255, value: 247});
  const progress = h('p', {id: 'scan-progress', role: 'status', class: 'hint'});
  const result = h('div', {id: 'scan-result'});
  let job = null;
  let timer = null;
  let stopped = false;
  const start = h('button', {type: 'button', class: 'button primary', id: 'scan-start', onclick: begin}, t('scan.start'));
  const cancel = h('button', {type: 'button', class: 'button', id: 'scan-cancel', hidden: true, onclick: stop}, t('scan.cancel'));

  async function begin() {
    try {
      job = await post(`/links/${encodeURIComponent(select.value)}/scan`, {first: Number(first.value), last: Number(last.value)});
      follow();
    } catch (error) {
      showError(error);
    }
  }

  async function stop() {
    try {
      if (job) show(await del(`/scans/${encodeURIComponent(job.id)}`));
    } catch (error) {
      showError(error);
    }
  }

  async function follow() {
    clearTimeout(timer);
    if (stopped || !job) return;
    try {
      job = await get(`/scans/${encodeURIComponent(job.id)}`);
      show(job);
    } catch (error) {
      showError(error);
      return;
    }
    if (job.state === 'running') timer = setTimeout(follow, SCAN_POLL_MS);
  }

  function show(j) {
    const running = j.state === 'running';
    start.disabled = running;
    cancel.hidden = !running || !can('technician');
    replace(progress, t(`scan.${j.state}`, {probed: j.probed, total: j.total, link: j.link, found: j.answered.length}),
      j.failure ? ` — ${j.failure}` : '');
    progress.dataset.state = j.state;
    const rows = j.answered.map((a) => h('tr', {'data-unit': a.unitId},
      h('td', {class: 'num'}, a.unitId),
      h('td', {}, a.exceptionCode !== null ? t('scan.exception', {code: a.exceptionCode, name: a.exception}) : a.exception || t('scan.ok')),
      h('td', {}, a.device ? h('a', {href: `#/devices/${encodeURIComponent(a.device)}`}, a.device) : '—')));
    replace(result, table('scan-table', [t('scan.unit'), t('scan.answer'), t('scan.device')],
      rows.length ? rows : [emptyRow(3, running ? t('scan.nothingYet') : t('scan.nothing'))]));
  }

  const latest = links.find((l) => l.scan);
  if (latest) {
    select.value = latest.id;
    job = latest.scan;
    show(job);
    if (job.state === 'running') follow();
  }
  const element = h('section', {class: 'card', id: 'link-scan'}, h('h2', {}, t('scan.title')), h('p', {class: 'hint'}, t('scan.lead')),
    can('technician') ? h('div', {class: 'toolbar'},
      h('label', {}, t('scan.link'), ' ', select), h('label', {}, t('scan.first'), ' ', first),
      h('label', {}, t('scan.last'), ' ', last), start, cancel) : null,
    progress, result);
  return {element, stop: () => {
    stopped = true;
    clearTimeout(timer);
  }};
}
