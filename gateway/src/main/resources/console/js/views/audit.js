// The audit log: every change, who made it and when, with the state before and after.

import {get} from '../api.js';
import {h, replace, table} from '../dom.js';
import {formatTime, t} from '../i18n.js';
import {emptyRow, pageHeader} from '../ui.js';

const LIMITS = [50, 200, 1000];

export async function render(root, ctx) {
  const limit = h('select', {id: 'audit-limit'}, LIMITS.map((n) => h('option', {value: n}, String(n))));
  limit.value = ctx.query.get('limit') || '50';
  const body = h('div', {});
  const refresh = async () => {
    const entries = await get('/audit', {limit: limit.value});
    replace(body, table('audit-table',
      [t('audit.seq'), t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.change')],
      entries.length ? [...entries].reverse().map(row) : [emptyRow(6, t('audit.none'))]));
  };
  limit.addEventListener('change', refresh);
  replace(root, pageHeader(t('audit.title')),
    h('div', {class: 'toolbar'}, h('label', {class: 'inline'}, h('span', {}, t('audit.limit')), limit)), body);
  await refresh();
}

function row(entry) {
  return h('tr', {'data-seq': entry.seq},
    h('td', {}, entry.seq), h('td', {class: 'nowrap'}, formatTime(entry.time)), h('td', {}, entry.actor || '—'),
    h('td', {}, entry.action || '—'), h('td', {}, entry.target || '—'),
    h('td', {}, entry.before == null && entry.after == null ? '—' : h('details', {},
      h('summary', {}, t('audit.show')),
      h('div', {class: 'diff'},
        h('div', {}, h('strong', {}, t('audit.before')), h('pre', {}, pretty(entry.before))),
        h('div', {}, h('strong', {}, t('audit.after')), h('pre', {}, pretty(entry.after)))))));
}

function pretty(value) {
  if (value == null) return '—';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch (e) {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
