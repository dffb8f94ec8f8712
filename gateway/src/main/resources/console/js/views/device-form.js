// Add a device, or edit one added at run time. A new device that logs in gets a generated password,
// shown here once.

import {get, post, put} from '../api.js';
import {h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {errorBox, field, pageHeader, secretPanel} from '../ui.js';

const SITE_KEYS = ['communityCode', 'gridCell', 'building', 'unit', 'floor', 'room'];
const STATES = ['enabled', 'commissioning', 'disabled'];

export async function render(root, ctx) {
  const editing = ctx.params[0];
  if (ctx.state.created) {
    renderCreated(root, ctx);
    return;
  }
  const [profiles, device] = await Promise.all([
    get('/profiles'),
    editing ? get(`/devices/${encodeURIComponent(editing)}`) : Promise.resolve(null),
  ]);
  const site = siteParts(device && device.site);
  const input = (name, value, attrs = {}) => h('input', {id: `device-${name}`, name, value: value ?? '', ...attrs});

  const id = input('id', editing, {required: true, readonly: Boolean(editing), autocomplete: 'off', maxlength: 128});
  const profile = h('select', {id: 'device-profile', name: 'profile', required: true},
    h('option', {value: ''}, t('form.chooseProfile')),
    profiles.map((p) => h('option', {value: p.id}, `${p.id} (${p.protocol})`)));
  profile.value = device ? device.profile : '';
  const state = h('select', {id: 'device-state', name: 'state'}, STATES.map((s) => h('option', {value: s}, t(`state.${s}`))));
  state.value = device ? String(device.state || 'enabled').toLowerCase() : 'commissioning';
  const siteInputs = Object.fromEntries(SITE_KEYS.map((k) => [k, input(`site-${k}`, site[k])]));
  const location = input('location', device && device.location, {maxlength: 200});
  const topic = input('topic', device && device.topic, {placeholder: 'devices/{id}/#'});
  const modbus = (device && device.modbus) || {};
  const link = input('modbus-link', modbus.link);
  const unitId = input('modbus-unit', modbus.unitId, {type: 'number', min: 1, max: 247});
  const mqttFields = h('fieldset', {class: 'binding'}, h('legend', {}, t('form.mqtt')),
    field(t('form.topic'), topic, t('form.topicHint')));
  const modbusFields = h('fieldset', {class: 'binding'}, h('legend', {}, t('form.modbus')),
    field(t('form.link'), link), field(t('form.unitId'), unitId));
  const protocolOf = () => (profiles.find((p) => p.id === profile.value) || {}).protocol || '';
  const showBinding = () => {
    const protocol = protocolOf();
    mqttFields.hidden = protocol.startsWith('modbus');
    modbusFields.hidden = !protocol.startsWith('modbus');
  };
  profile.addEventListener('change', showBinding);
  showBinding();

  const error = h('div', {id: 'device-form-error'}, errorBox(null));
  const submit = h('button', {id: 'device-save', type: 'submit', class: 'button primary'}, editing ? t('form.save') : t('form.create'));
  const form = h('form', {class: 'card form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const body = {
      id: id.value.trim(),
      profile: profile.value,
      state: state.value,
      location: location.value.trim(),
      site: Object.fromEntries(SITE_KEYS.map((k) => [k, siteInputs[k].value.trim()]).filter(([, v]) => v)),
    };
    if (protocolOf().startsWith('modbus')) {
      body.modbus = {link: link.value.trim(), unitId: unitId.value === '' ? null : Number(unitId.value)};
    } else if (topic.value.trim()) {
      body.topic = topic.value.trim();
    }
    submit.disabled = true;
    try {
      if (editing) {
        await put(`/devices/${encodeURIComponent(editing)}`, body);
        ctx.navigate(`devices/${encodeURIComponent(editing)}`);
      } else {
        ctx.state.created = await post('/devices', body);
        renderCreated(root, ctx);
      }
    } catch (e) {
      replace(error, errorBox(e));
      submit.disabled = false;
    }
  }},
  h('div', {class: 'grid two'},
    field(t('devices.id'), id, editing ? null : t('form.idHint')),
    field(t('devices.profile'), profile),
    field(t('devices.state'), state, t('form.stateHint')),
    field(t('devices.location'), location)),
  h('fieldset', {}, h('legend', {}, t('devices.site')),
    h('div', {class: 'grid three'}, SITE_KEYS.map((k) => field(t(`site.${k}`), siteInputs[k])))),
  mqttFields,
  modbusFields,
  error,
  h('div', {class: 'form-actions'}, submit,
    h('a', {class: 'button quiet', href: editing ? `#/devices/${encodeURIComponent(editing)}` : '#/devices'}, t('common.cancel'))));

  replace(root, pageHeader(editing ? t('form.editTitle', {id: editing}) : t('form.addTitle')), form);
  (editing ? profile : id).focus();
}

/** The site's parts by name, from the API's text (community/grid/building/unit/floor/room) or an object. */
function siteParts(site) {
  if (!site) return {};
  if (typeof site === 'object') return site;
  const parts = String(site).split('/');
  return Object.fromEntries(SITE_KEYS.map((k, i) => [k, parts[i] || '']));
}

function renderCreated(root, ctx) {
  const created = ctx.state.created;
  const device = created.device || {};
  const deviceHref = `#/devices/${encodeURIComponent(device.id)}`;
  replace(root,
    pageHeader(t('form.createdTitle', {id: device.id})),
    created.password
      ? secretPanel(t('form.passwordFor', {id: device.id}), created.password, 'generated-password')
      : h('p', {class: 'card'}, t('form.noPassword')),
    h('div', {class: 'form-actions'},
      h('a', {class: 'button primary', href: deviceHref, id: 'device-open'}, t('form.openDevice')),
      h('button', {type: 'button', class: 'button', id: 'device-add-another', onclick: () => {
        delete ctx.state.created;
        render(root, ctx);
      }}, t('form.addAnother'))));
}
