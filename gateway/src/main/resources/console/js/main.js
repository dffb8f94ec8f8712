// The console's shell: language, session, navigation and the hash router (#/devices, #/devices/ID,
// ...). Each view module exports render(root, ctx) and may return a function that stops what it
// started (timers, event streams) when the user leaves it.

import * as api from './api.js';
import {h, replace} from './dom.js';
import {LANGUAGES, language, loadLanguage, preferredLanguage, rememberLanguage, t, translateStatic} from './i18n.js';
import {can, session, setSession} from './session.js';
import {clearNotice, showError} from './ui.js';
import * as audit from './views/audit.js';
import * as commissioning from './views/commissioning.js';
import * as deviceDetail from './views/device-detail.js';
import * as deviceForm from './views/device-form.js';
import * as devices from './views/devices.js';
import * as importer from './views/import.js';
import * as login from './views/login.js';
import * as maintenance from './views/maintenance.js';
import * as profiles from './views/profiles.js';
import * as users from './views/users.js';

const ROUTES = [
  {path: /^login$/, view: login, open: true},
  {path: /^devices$/, view: devices},
  {path: /^devices\/new$/, view: deviceForm, role: 'installer'},
  {path: /^devices\/([^/]+)\/edit$/, view: deviceForm, role: 'installer'},
  {path: /^devices\/([^/]+)$/, view: deviceDetail},
  {path: /^import$/, view: importer, role: 'installer'},
  {path: /^commissioning$/, view: commissioning},
  {path: /^profiles$/, view: profiles},
  {path: /^maintenance$/, view: maintenance},
  {path: /^users$/, view: users, role: 'admin'},
  {path: /^audit$/, view: audit, role: 'admin'},
];

const root = () => document.getElementById('view');
let stopCurrent = null;
let currentHash = null;
let viewState = {};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return {path: path || 'devices', query: new URLSearchParams(query)};
}

export function navigate(path) {
  if (location.hash === `#/${path}`) {
    route();
  } else {
    location.hash = `#/${path}`;
  }
}

async function route() {
  const {path, query} = parseHash();
  if (location.hash !== currentHash) viewState = {};
  currentHash = location.hash;
  if (stopCurrent) {
    stopCurrent();
    stopCurrent = null;
  }
  clearNotice();
  const match = ROUTES.map((r) => ({r, m: r.path.exec(path)})).find((x) => x.m);
  if (!match) {
    navigate('devices');
    return;
  }
  if (!match.r.open && !session()) {
    navigate(`login?next=${encodeURIComponent(path)}`);
    return;
  }
  if (match.r.role && !can(match.r.role)) {
    replace(root(), h('p', {class: 'empty-state'}, t('error.forbidden')));
    updateShell(path);
    return;
  }
  updateShell(path);
  const ctx = {
    params: match.m.slice(1).map(decodeURIComponent),
    query,
    state: viewState,
    navigate,
    loggedIn,
  };
  try {
    const stop = await match.r.view.render(root(), ctx);
    if (typeof stop === 'function') stopCurrent = stop;
  } catch (error) {
    showError(error);
  }
}

function updateShell(path) {
  const user = session();
  document.getElementById('nav').hidden = !user;
  document.getElementById('logout').hidden = !user;
  const whoami = document.getElementById('whoami');
  whoami.hidden = !user;
  if (user) replace(whoami, user.user, ' · ', t(`role.${user.role}`));
  document.querySelectorAll('#nav a').forEach((a) => {
    a.hidden = Boolean(a.dataset.minRole) && !can(a.dataset.minRole);
    const active = path === a.dataset.route || path.startsWith(`${a.dataset.route}/`);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
}

function loggedIn(body) {
  setSession(body);
  api.setCsrfToken(body.csrfToken);
}

async function switchLanguage(lang) {
  rememberLanguage(lang);
  await loadLanguage(lang);
  translateStatic();
  await route();
}

async function logout() {
  try {
    await api.del('/session');
  } catch (error) {
    // Logged out either way: the session is forgotten here and expires on the server.
  }
  setSession(null);
  api.setCsrfToken(null);
  navigate('login');
}

async function start() {
  await loadLanguage(preferredLanguage());
  translateStatic();
  const select = document.getElementById('lang-switch');
  select.value = language();
  select.addEventListener('change', () => switchLanguage(LANGUAGES.includes(select.value) ? select.value : 'en'));
  document.getElementById('logout').addEventListener('click', logout);
  api.onUnauthenticated(() => {
    if (!session()) return;
    setSession(null);
    const {path} = parseHash();
    navigate(`login?next=${encodeURIComponent(path)}`);
  });
  try {
    loggedIn(await api.get('/session'));
  } catch (error) {
    setSession(null);
  }
  window.addEventListener('hashchange', route);
  await route();
}

start().catch(showError);
