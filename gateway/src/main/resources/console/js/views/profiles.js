// The device profiles the gateway knows: protocol, event types and the fields each needs.

import {get} from '../api.js';
import {h, replace, table} from '../dom.js';
import {t} from '../i18n.js';
import {emptyRow, pageHeader} from '../ui.js';

export async function render(root) {
  const profiles = await get('/profiles');
  const list = (values) => (values || []).map((v) => h('span', {class: 'tag'}, typeof v === 'object' ? (v.name || v.id || JSON.stringify(v)) : v));
  replace(root,
    pageHeader(t('profiles.title')),
    table('profile-table', [t('profiles.id'), t('profiles.model'), t('profiles.protocol'), t('profiles.eventTypes'),
      t('profiles.fields')],
    profiles.length
      ? profiles.map((p) => h('tr', {'data-profile-id': p.id},
        h('td', {class: 'nowrap'}, p.id),
        h('td', {}, [p.vendor, p.model].filter((x) => x).join(' '), p.description ? [h('br'), h('small', {}, p.description)] : null),
        h('td', {}, p.protocol || '—'), h('td', {}, list(p.eventTypes)), h('td', {}, list(p.fields))))
      : [emptyRow(5, t('profiles.none'))]));
}
