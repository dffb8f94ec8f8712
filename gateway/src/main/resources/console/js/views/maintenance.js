// Maintenance windows: alarms of a device or a site held back while people work there.

import {del, get, post} from '../api.js';
import {h, replace, table} from '../dom.js';
import {formatTime, t} from '../i18n.js';
import {can} from '../session.js';
import {emptyRow, errorBox, field, pageHeader, showError} from '../ui.js';

export async function render(root) {
  const listBox = h('div', {});

  async function refresh() {
    const windows = await get('/maintenance');
    replace(listBox, table('maintenance-table',
      [t('maintenance.scope'), t('maintenance.since'), t('maintenance.until'), t('maintenance.inhibited'), ''],
      windows.length ? windows.map(row) : [emptyRow(5, t('maintenance.none'))]));
  }

  function row(w) {
    const [kind, ...rest] = String(w.scope || '').split(':');
    const target = rest.join(':');
    return h('tr', {'data-scope': w.scope},
      h('td', {}, kind === 'device' || kind === 'site' ? `${t(`maintenance.${kind}`)}: ${target}` : w.scope),
      h('td', {class: 'nowrap'}, formatTime(w.since)),
      h('td', {class: 'nowrap'}, formatTime(w.until)),
      h('td', {}, w.inhibitedEvents ?? 0),
      h('td', {}, can('technician') && (kind === 'device' || kind === 'site')
        ? h('button', {type: 'button', class: 'button quiet', onclick: async () => {
          try {
            await del('/maintenance', {[kind]: target});
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
      await post('/maintenance', {[kind.value]: target.value.trim(), duration: `PT${minutes}M`});
      replace(error, errorBox(null));
      target.value = '';
      await refresh();
    } catch (e) {
      replace(error, errorBox(e));
    }
  }},
  h('h2', {}, t('maintenance.start')),
  h('div', {class: 'grid three'}, field(t('maintenance.kind'), kind), field(t('maintenance.target'), target),
    field(t('maintenance.hours'), hours)),
  error,
  h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'button primary'}, t('maintenance.submit')))) : null;

  replace(root, pageHeader(t('maintenance.title')), h('p', {class: 'lead'}, t('maintenance.lead')), listBox, form);
  await refresh();
}
