// Maintenance windows: alarms of a device or a site held back while people work there.
//
// The gateway answers an opened or ended window once it is applied, so the list is read again
// right after; it is also re-read every few seconds and just after the next window's end, so a
// window that expires or that someone else opens or ends shows without a reload.

import {del, get, post} from '../api.js';
import {h, replace, table} from '../dom.js';
import {formatTime, t} from '../i18n.js';
import {can} from '../session.js';
import {clearNotice, emptyRow, errorBox, field, pageHeader, showError, showInfo} from '../ui.js';

const REFRESH_MS = 5000;
/** How long after a window's end the list is read again (the gateway ends it within a second). */
const AFTER_END_MS = 1500;

export async function render(root) {
  const listBox = h('div', {});
  let stopped = false;
  let timer = null;

  async function refresh() {
    clearTimeout(timer);
    let next = REFRESH_MS;
    try {
      const windows = await get('/maintenance');
      if (stopped) return;
      replace(listBox, table('maintenance-table',
        [t('maintenance.scope'), t('maintenance.since'), t('maintenance.until'), t('maintenance.inhibited'), ''],
        windows.length ? windows.map(row) : [emptyRow(5, t('maintenance.none'))]));
      const now = Date.now();
      for (const w of windows) {
        const ends = new Date(w.until).getTime() - now + AFTER_END_MS;
        if (ends > 0 && ends < next) next = ends;
      }
    } catch (error) {
      if (!stopped) showError(error);
    }
    if (!stopped) timer = setTimeout(refresh, next);
  }

  function scopeText(kind, target, scope) {
    return kind === 'device' || kind === 'site' ? `${t(`maintenance.${kind}`)}: ${target}` : scope;
  }

  function row(w) {
    const [kind, ...rest] = String(w.scope || '').split(':');
    const target = rest.join(':');
    return h('tr', {'data-scope': w.scope},
      h('td', {}, scopeText(kind, target, w.scope)),
      h('td', {class: 'nowrap'}, formatTime(w.since)),
      h('td', {class: 'nowrap'}, formatTime(w.until)),
      h('td', {}, w.inhibitedEvents ?? 0),
      h('td', {}, can('technician') && (kind === 'device' || kind === 'site')
        ? h('button', {type: 'button', class: 'button quiet', 'data-action': 'end', onclick: async () => {
          try {
            const ended = await del('/maintenance', {[kind]: target});
            showInfo(t('maintenance.ended', {scope: scopeText(kind, target, w.scope), n: ended.inhibitedEvents ?? 0}));
            await refresh();
          } catch (error) {
            showError(error);
          }
        }}, t('maintenance.end'))
        : null));
  }

  const kind = h('select', {id: 'maintenance-kind'},
    h('option', {value: 'device'}, t('maintenance.device')), h('option', {value: 'site'}, t('maintenance.site')));
  const target = h('input', {id: 'maintenance-target', required: true, placeholder: 'gas-b3-101 / 310115001/B3'});
  const hours = h('input', {id: 'maintenance-hours', type: 'number', min: 0.25, step: 0.25, value: 2, required: true});
  const error = h('div', {}, errorBox(null));
  const form = can('technician') ? h('form', {class: 'card form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    try {
      const minutes = Math.round(Number(hours.value) * 60);
      const chosen = kind.value;
      const opened = await post('/maintenance', {[chosen]: target.value.trim(), duration: `PT${minutes}M`});
      replace(error, errorBox(null));
      target.value = '';
      showInfo(t('maintenance.opened', {scope: scopeText(chosen, String(opened.scope).slice(chosen.length + 1), opened.scope),
        until: formatTime(opened.until)}));
      await refresh();
    } catch (e) {
      replace(error, errorBox(e));
    }
  }},
  h('h2', {}, t('maintenance.start')),
  h('div', {class: 'grid three'}, field(t('maintenance.kind'), kind), field(t('maintenance.target'), target),
    field(t('maintenance.hours'), hours)),
  error,
  h('div', {class: 'form-actions'},
    h('button', {type: 'submit', id: 'maintenance-submit', class: 'button primary'}, t('maintenance.submit')))) : null;

  replace(root, pageHeader(t('maintenance.title')), h('p', {class: 'lead'}, t('maintenance.lead')), listBox, form);
  clearNotice();
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
