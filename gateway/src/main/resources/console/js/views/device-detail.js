// One device: its settings and live status, the actions the role allows, and its decoded events as
// they arrive (Server-Sent Events).

import {del, events, get, post} from '../api.js';
import {h, replace} from '../dom.js';
import {formatTime, t} from '../i18n.js';
import {can} from '../session.js';
import {clearNotice, pageHeader, secretPanel, showError, siteText, stateBadge, statusBadge} from '../ui.js';
import {eventList} from './event-list.js';
import {offersTestRead, testReadPanel} from './modbus-tools.js';

const REFRESH_MS = 3000;

export async function render(root, ctx) {
  const id = ctx.params[0];
  const path = `/devices/${encodeURIComponent(id)}`;
  const summary = h('div', {id: 'device-detail', class: 'card', 'data-device-id': id});
  const secret = h('div', {});
  const tools = h('div', {});
  let toolsShown = false;
  const live = eventList('live-events');
  let stopped = false;
  let timer = null;

  async function refresh() {
    clearTimeout(timer);
    try {
      const device = await get(path);
      if (stopped) return;
      replace(summary, details(device), actions(device));
      clearNotice();
      if (!toolsShown && can('technician')) {
        toolsShown = true;
        if (await offersTestRead(device) && !stopped) replace(tools, testReadPanel(id));
      }
    } catch (error) {
      if (!stopped) showError(error);
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  async function act(action) {
    try {
      if (action === 'credentials') {
        ctx.state.password = (await post(`${path}/credentials`)).password;
        showSecret();
      } else if (action === 'delete') {
        if (!window.confirm(t('device.confirmDelete', {id}))) return;
        await del(path);
        ctx.navigate('devices');
        return;
      } else {
        await post(`${path}/${action}`);
      }
      await refresh();
    } catch (error) {
      showError(error);
    }
  }

  function showSecret() {
    if (ctx.state.password) replace(secret, secretPanel(t('device.newPassword'), ctx.state.password, 'generated-password'));
  }

  function actions(device) {
    const state = String(device.state || 'enabled').toLowerCase();
    const fromFile = device.origin === 'config';
    const button = (action, label, role, extra = {}) => can(role)
      ? h('button', {type: 'button', class: 'button', 'data-action': action, onclick: () => act(action), ...extra}, label)
      : null;
    return h('div', {class: 'actions-row'},
      can('installer') && !fromFile ? h('a', {class: 'button', id: 'device-edit', href: `#/devices/${encodeURIComponent(id)}/edit`}, t('device.edit')) : null,
      state !== 'enabled' ? button('enable', state === 'commissioning' ? t('device.commissionDone') : t('device.enable'), 'technician', {class: 'button primary'}) : null,
      state === 'enabled' ? button('commission', t('device.commission'), 'technician') : null,
      state !== 'disabled' ? button('disable', t('device.disable'), 'technician') : null,
      !fromFile ? button('credentials', t('device.rotate'), 'installer') : null,
      !fromFile ? button('delete', t('device.delete'), 'installer', {class: 'button danger'}) : null,
      fromFile ? h('p', {class: 'hint'}, t('device.fromConfig')) : null);
  }

  replace(root,
    pageHeader(t('device.title', {id}), h('a', {class: 'button quiet', href: '#/devices'}, t('common.back'))),
    summary,
    secret,
    tools,
    h('section', {class: 'card'}, h('h2', {}, t('device.liveEvents')),
      can('technician') ? live.element : h('p', {class: 'hint'}, t('device.liveEventsRole'))));
  showSecret();
  const closeEvents = can('technician') ? events(`${path}/events`, live.add, live.state) : () => {};
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    closeEvents();
  };
}

function details(device) {
  const s = device.status || {};
  const c = s.counters || {};
  const item = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
  return h('dl', {class: 'details'},
    item(t('devices.status'), statusBadge(s.connection || 'never'), s.rejecting ? [' ', statusBadge('rejecting')] : null),
    item(t('devices.state'), stateBadge(device.state)),
    item(t('devices.profile'), device.profile || '—'),
    item(t('devices.site'), siteText(device.site) || '—'),
    item(t('devices.location'), device.location || '—'),
    item(t('device.source'), device.source || '—'),
    item(t('device.origin'), device.origin ? t(`origin.${device.origin}`) : '—'),
    item(t('devices.lastSeen'), formatTime(s.lastSeen)),
    item(t('devices.lastEvent'), s.lastEvent ? `${s.lastEvent.type} · ${formatTime(s.lastEvent.time)}` : '—'),
    item(t('devices.lastRejection'), s.lastRejection ? `${s.lastRejection.reason} · ${formatTime(s.lastRejection.time)}` : '—'),
    item(t('device.peer'), s.peer || '—'),
    item(t('device.firmware'), s.firmware || '—'),
    item(t('devices.counters'), t('devices.countersValue', {
      received: c.received ?? 0, rejected: c.rejected ?? 0, held: c.held ?? 0, dropped: c.dropped ?? 0})));
}
