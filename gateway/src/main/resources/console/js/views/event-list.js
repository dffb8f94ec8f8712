// A live list of decoded events, newest first, bounded so a chatty device cannot fill the page.

import {h, replace} from '../dom.js';
import {formatTime, t} from '../i18n.js';

const MAX_EVENTS = 200;

/** {element, add(event), state(connectionState)}; `showDevice` adds the device id column. */
export function eventList(id, showDevice = false) {
  const status = h('p', {id: `${id}-state`, class: 'stream-state', role: 'status'}, t('events.connecting'));
  const body = h('tbody', {});
  const empty = h('tr', {class: 'empty'}, h('td', {colspan: showDevice ? 6 : 5}, t('events.none')));
  body.appendChild(empty);
  const headers = [t('events.time'), showDevice ? t('devices.id') : null, t('events.type'), t('events.decision'),
    t('events.fields'), t('events.test')].filter((x) => x !== null);
  const element = h('div', {},
    status,
    h('div', {class: 'table-wrap'},
      h('table', {id, class: 'data events'},
        h('thead', {}, h('tr', {}, headers.map((label) => h('th', {scope: 'col'}, label)))), body)));
  return {
    element,
    add(event) {
      empty.remove();
      body.insertBefore(row(event, showDevice), body.firstChild);
      while (body.children.length > MAX_EVENTS) body.lastChild.remove();
    },
    state(value) {
      replace(status, t(`events.${value}`));
      status.dataset.state = value;
    },
  };
}

function row(event, showDevice) {
  const decision = String(event.decision || event.outcome || '').toLowerCase();
  return h('tr', {'data-event-type': event.type || '', 'data-device-id': event.device || ''},
    h('td', {class: 'nowrap'}, formatTime(event.time)),
    showDevice ? h('td', {}, event.device || '') : null,
    h('td', {}, h('span', {class: 'event-type'}, event.type || '—'), event.description ? [h('br'), h('small', {}, event.description)] : null),
    h('td', {}, decision ? h('span', {class: `badge outline decision-${decision}`}, t(`decision.${decision}`)) : '—'),
    h('td', {class: 'fields'}, fields(event.fields)),
    h('td', {}, event.test ? t('events.testYes') : ''));
}

function fields(value) {
  if (!value || typeof value !== 'object') return '';
  return Object.entries(value).map(([k, v]) => h('span', {class: 'kv'}, h('span', {class: 'k'}, k), '=',
    typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
}
