// Pieces shared by the views: the page notice, headings, status badges, form fields, the
// one-time secret panel.

import {h, replace} from './dom.js';
import {t} from './i18n.js';

const notice = () => document.getElementById('notice');

/** Shows an error (ApiError or any Error) in the notice bar, in the server's words. */
export function showError(error) {
  const el = notice();
  el.className = 'notice error';
  replace(el, error && error.message ? error.message : t('error.unknown'));
  el.hidden = false;
}

export function showInfo(text) {
  const el = notice();
  el.className = 'notice info';
  replace(el, text);
  el.hidden = false;
}

export function clearNotice() {
  notice().hidden = true;
}

/** A form-level error box: the message and, when the API named them, each problem's path and reason. */
export function errorBox(error) {
  if (!error) return h('div', {class: 'form-error', hidden: true, role: 'alert'});
  const problems = error.problems || [];
  return h('div', {class: 'form-error', role: 'alert'},
    h('p', {}, error.message || t('error.unknown')),
    problems.length ? h('ul', {}, problems.map((p) => h('li', {}, p.path ? `${p.path}: ${p.reason}` : p.reason))) : null);
}

export function pageHeader(title, ...actions) {
  return h('div', {class: 'page-header'}, h('h1', {}, title), h('div', {class: 'actions'}, actions));
}

const STATUS_CLASSES = {online: 'ok', offline: 'bad', never: 'muted', rejecting: 'warn'};

/** A status with its word and its symbol, so it reads without colour. */
export function statusBadge(connection) {
  const value = connection || 'never';
  const symbol = {online: '●', offline: '○', never: '◌', rejecting: '⚠'}[value] || '•';
  return h('span', {class: `badge ${STATUS_CLASSES[value] || 'muted'}`, 'data-status': value},
    h('span', {'aria-hidden': 'true'}, symbol), ' ', t(`status.${value}`));
}

export function stateBadge(state) {
  const value = String(state || 'enabled').toLowerCase();
  const cls = {enabled: 'ok', commissioning: 'info', disabled: 'muted'}[value] || 'muted';
  return h('span', {class: `badge outline ${cls}`}, t(`state.${value}`));
}

/** A labelled input; `input` is the control element. */
export function field(label, input, hint) {
  return h('label', {class: 'field'}, h('span', {class: 'label'}, label), input, hint ? h('span', {class: 'hint'}, hint) : null);
}

/** A secret shown once: the value, a copy button and the warning that it will not be shown again. */
export function secretPanel(title, value, id) {
  const code = h('code', {id, class: 'secret'}, value);
  const copied = h('span', {class: 'copied', role: 'status'});
  const copy = h('button', {type: 'button', class: 'button', onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
      copied.textContent = t('secret.copied');
    } catch (e) {
      // Clipboard access needs HTTPS or loopback; select the text so Ctrl+C works.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      copied.textContent = t('secret.selectToCopy');
    }
  }}, t('secret.copy'));
  return h('section', {class: 'secret-panel', 'aria-live': 'polite'},
    h('h2', {}, title),
    h('p', {class: 'warning'}, h('strong', {}, t('secret.onceTitle')), ' ', t('secret.onceText')),
    h('div', {class: 'secret-row'}, code, copy, copied));
}

/** Formats a site given as text or as {communityCode, gridCell, building, unit, floor, room}. */
export function siteText(site) {
  if (!site) return '';
  if (typeof site === 'string') return site;
  return ['communityCode', 'gridCell', 'building', 'unit', 'floor', 'room']
    .map((k) => site[k]).filter((v) => v).join(' / ');
}

export function emptyRow(columns, text) {
  return h('tr', {class: 'empty'}, h('td', {colspan: columns}, text));
}
