// The device list with its live status, refreshed every few seconds, filtered by connection status
// (online, offline, never connected, rejecting), by state and by site.

import {get} from '../api.js';
import {h, replace, table} from '../dom.js';
import {formatTime, t} from '../i18n.js';
import {can} from '../session.js';
import {emptyRow, pageHeader, showError, clearNotice, siteText, stateBadge, statusBadge} from '../ui.js';

const REFRESH_MS = 3000;
const STATUSES = ['', 'online', 'offline', 'never', 'rejecting'];
const STATES = ['', 'enabled', 'commissioning', 'disabled'];

export async function render(root, ctx) {
  const status = h('select', {id: 'device-filter', 'aria-label': t('devices.filterStatus')},
    STATUSES.map((s) => h('option', {value: s}, s ? t(`status.${s}`) : t('devices.allStatuses'))));
  status.value = ctx.query.get('status') || '';
  const state = h('select', {id: 'device-state-filter', 'aria-label': t('devices.filterState')},
    STATES.map((s) => h('option', {value: s}, s ? t(`state.${s}`) : t('devices.allStates'))));
  state.value = ctx.query.get('state') || '';
  const site = h('input', {id: 'device-site-filter', type: 'search', placeholder: t('devices.site'),
    'aria-label': t('devices.filterSite'), value: ctx.query.get('site') || ''});
  const count = h('span', {class: 'count', role: 'status'});
  const body = h('div', {}, table('device-table', headers(), [emptyRow(headers().length, t('common.loading'))]));

  const applyFilters = () => {
    const query = new URLSearchParams();
    if (status.value) query.set('status', status.value);
    if (state.value) query.set('state', state.value);
    if (site.value.trim()) query.set('site', site.value.trim());
    const text = query.toString();
    history.replaceState(null, '', `#/devices${text ? `?${text}` : ''}`);
    refresh();
  };
  status.addEventListener('change', applyFilters);
  state.addEventListener('change', applyFilters);
  site.addEventListener('change', applyFilters);

  let stopped = false;
  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    try {
      const list = await get('/devices', {status: status.value, state: state.value, site: site.value.trim()});
      if (stopped) return;
      replace(body, table('device-table', headers(), list.length ? list.map(row) : [emptyRow(headers().length, t('devices.none'))]));
      count.textContent = t('devices.count', {n: list.length});
      clearNotice();
    } catch (error) {
      if (!stopped) showError(error);
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  replace(root,
    pageHeader(t('devices.title'),
      can('installer') ? h('a', {id: 'device-import', class: 'button', href: '#/import'}, t('devices.import')) : null,
      can('installer') ? h('a', {id: 'device-add', class: 'button primary', href: '#/devices/new'}, t('devices.add')) : null),
    h('div', {class: 'toolbar'},
      h('label', {class: 'inline'}, h('span', {}, t('devices.filterStatus')), status),
      h('label', {class: 'inline'}, h('span', {}, t('devices.filterState')), state),
      h('label', {class: 'inline'}, h('span', {}, t('devices.filterSite')), site),
      count),
    body);
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function headers() {
  return [t('devices.id'), t('devices.status'), t('devices.state'), t('devices.profile'), t('devices.site'),
    t('devices.location'), t('devices.lastSeen'), t('devices.lastEvent'), t('devices.lastRejection'), t('devices.counters')];
}

function row(device) {
  const s = device.status || {};
  const c = s.counters || {};
  return h('tr', {'data-device-id': device.id, 'data-status': s.connection || 'never'},
    h('td', {class: 'nowrap'}, h('a', {href: `#/devices/${encodeURIComponent(device.id)}`}, device.id)),
    h('td', {class: 'nowrap'}, statusBadge(s.connection || 'never'), s.rejecting ? [' ', statusBadge('rejecting')] : null),
    h('td', {}, stateBadge(device.state)),
    h('td', {class: 'nowrap'}, device.profile || ''),
    h('td', {class: 'nowrap'}, siteText(device.site)),
    h('td', {}, device.location || ''),
    h('td', {class: 'nowrap'}, formatTime(s.lastSeen)),
    h('td', {}, s.lastEvent ? [h('span', {class: 'event-type'}, s.lastEvent.type), h('br'), h('small', {}, formatTime(s.lastEvent.time))] : '—'),
    h('td', {}, s.lastRejection ? [s.lastRejection.reason, h('br'), h('small', {}, formatTime(s.lastRejection.time))] : '—'),
    h('td', {class: 'nowrap'}, t('devices.countersShort', {received: c.received ?? 0, rejected: c.rejected ?? 0})));
}

