// Devices being installed: each with its live decoded events (flagged as tests, never paging the
// city) and the action that ends commissioning and puts it in service.

import {events, get, post} from '../api.js';
import {h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {can} from '../session.js';
import {clearNotice, pageHeader, showError, siteText, statusBadge} from '../ui.js';
import {eventList} from './event-list.js';
import {linkScanPanel} from './modbus-tools.js';

const REFRESH_MS = 5000;

export async function render(root, ctx) {
  const cards = h('div', {id: 'commissioning-list', class: 'cards'});
  const lists = new Map();
  let streamState = 'connecting';
  let stopped = false;
  let timer = null;

  async function refresh() {
    clearTimeout(timer);
    try {
      const devices = await get('/devices', {state: 'commissioning'});
      if (stopped) return;
      const ids = new Set(devices.map((d) => d.id));
      for (const id of [...lists.keys()]) {
        if (!ids.has(id)) lists.delete(id);
      }
      replace(cards, devices.length ? devices.map(card) : h('p', {class: 'empty-state'}, t('commissioning.none')));
      clearNotice();
    } catch (error) {
      if (!stopped) showError(error);
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  function card(device) {
    if (!lists.has(device.id)) {
      lists.set(device.id, eventList(`events-${device.id}`));
      lists.get(device.id).state(streamState);
    }
    const list = lists.get(device.id);
    const done = can('technician')
      ? h('button', {type: 'button', class: 'button primary', 'data-action': 'enable', onclick: async () => {
        try {
          await post(`/devices/${encodeURIComponent(device.id)}/enable`);
          await refresh();
        } catch (error) {
          showError(error);
        }
      }}, t('device.commissionDone'))
      : null;
    return h('section', {class: 'card', 'data-device-id': device.id},
      h('div', {class: 'card-head'},
        h('h2', {}, h('a', {href: `#/devices/${encodeURIComponent(device.id)}`}, device.id)),
        statusBadge((device.status || {}).connection || 'never'),
        h('span', {class: 'muted-text'}, [device.profile, siteText(device.site), device.location].filter((x) => x).join(' · ')),
        done),
      can('technician') ? list.element : h('p', {class: 'hint'}, t('device.liveEventsRole')));
  }

  const scanArea = h('div', {});
  replace(root, pageHeader(t('commissioning.title')), h('p', {class: 'lead'}, t('commissioning.lead')), cards, scanArea);
  let scan = null;
  try {
    scan = await linkScanPanel();
    if (scan && !stopped) replace(scanArea, scan.element);
  } catch (error) {
    showError(error);
  }
  // The feed is for technicians and above; a viewer sees the devices without it.
  const close = can('technician') ? events('/events', (event) => {
    const list = lists.get(event.device);
    if (list) list.add(event);
  }, (state) => {
    streamState = state;
    lists.forEach((list) => list.state(state));
  }) : () => {};
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    close();
    if (scan) scan.stop();
  };
}
