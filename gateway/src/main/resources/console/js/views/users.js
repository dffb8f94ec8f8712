// Users and API tokens (admin only): roles, passwords, and tokens shown once when created.

import {del, get, post, put} from '../api.js';
import {h, replace, table} from '../dom.js';
import {formatTime, t} from '../i18n.js';
import {session} from '../session.js';
import {emptyRow, errorBox, field, pageHeader, secretPanel, showError} from '../ui.js';

const ROLES = ['viewer', 'technician', 'installer', 'admin'];

export async function render(root, ctx) {
  const usersBox = h('div', {});
  const tokensBox = h('div', {});
  const secret = h('div', {});

  const roleSelect = (id, value) => {
    const select = h('select', {id}, ROLES.map((r) => h('option', {value: r}, t(`role.${r}`))));
    select.value = String(value || 'viewer').toLowerCase();
    return select;
  };
  const guarded = (action) => async () => {
    try {
      await action();
    } catch (error) {
      showError(error);
    }
  };

  async function refreshUsers() {
    const users = await get('/users');
    replace(usersBox, table('user-table', [t('users.user'), t('users.role'), t('users.password'), ''],
      users.length ? users.map(userRow) : [emptyRow(4, t('users.none'))]));
  }

  function userRow(u) {
    const self = session() && session().user === u.user;
    const role = roleSelect(`role-${u.user}`, u.role);
    role.disabled = self;
    role.addEventListener('change', guarded(async () => {
      await put(`/users/${encodeURIComponent(u.user)}`, {role: role.value});
      await refreshUsers();
    }));
    const password = h('input', {type: 'password', autocomplete: 'new-password', 'aria-label': t('users.newPassword'),
      placeholder: t('users.newPassword')});
    return h('tr', {'data-user': u.user},
      h('td', {}, u.user, self ? h('small', {}, ` (${t('users.you')})`) : null),
      h('td', {}, role),
      h('td', {}, h('div', {class: 'inline-form'}, password,
        h('button', {type: 'button', class: 'button', onclick: guarded(async () => {
          await put(`/users/${encodeURIComponent(u.user)}`, {password: password.value});
          password.value = '';
          replace(secret, h('p', {class: 'card ok-text', role: 'status'}, t('users.passwordSet', {user: u.user})));
        })}, t('users.setPassword')))),
      h('td', {}, self ? null : h('button', {type: 'button', class: 'button danger', onclick: guarded(async () => {
        if (!window.confirm(t('users.confirmDelete', {user: u.user}))) return;
        await del(`/users/${encodeURIComponent(u.user)}`);
        await refreshUsers();
      })}, t('common.delete'))));
  }

  async function refreshTokens() {
    const tokens = await get('/tokens');
    replace(tokensBox, table('token-table', [t('tokens.name'), t('users.role'), t('tokens.created'), ''],
      tokens.length ? tokens.map((tok) => h('tr', {'data-token': tok.name},
        h('td', {}, tok.name), h('td', {}, t(`role.${String(tok.role || '').toLowerCase()}`)),
        h('td', {class: 'nowrap'}, formatTime(tok.created)),
        h('td', {}, h('button', {type: 'button', class: 'button danger', onclick: guarded(async () => {
          if (!window.confirm(t('tokens.confirmDelete', {name: tok.name}))) return;
          await del(`/tokens/${encodeURIComponent(tok.name)}`);
          await refreshTokens();
        })}, t('common.delete')))))
        : [emptyRow(4, t('tokens.none'))]));
  }

  const newUser = h('input', {id: 'user-new-name', required: true, autocomplete: 'off'});
  const newRole = roleSelect('user-new-role', 'viewer');
  const newPassword = h('input', {id: 'user-new-password', type: 'password', required: true, autocomplete: 'new-password'});
  const userError = h('div', {}, errorBox(null));
  const userForm = h('form', {class: 'card form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    try {
      await post('/users', {user: newUser.value.trim(), role: newRole.value, password: newPassword.value});
      newUser.value = '';
      newPassword.value = '';
      replace(userError, errorBox(null));
      await refreshUsers();
    } catch (e) {
      replace(userError, errorBox(e));
    }
  }}, h('h2', {}, t('users.add')),
  h('div', {class: 'grid three'}, field(t('users.user'), newUser), field(t('users.role'), newRole),
    field(t('users.password'), newPassword, t('users.passwordHint'))),
  userError, h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'button primary'}, t('users.add'))));

  const tokenName = h('input', {id: 'token-new-name', required: true, autocomplete: 'off'});
  const tokenRole = roleSelect('token-new-role', 'viewer');
  const tokenError = h('div', {}, errorBox(null));
  const tokenForm = h('form', {class: 'card form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    try {
      const created = await post('/tokens', {name: tokenName.value.trim(), role: tokenRole.value});
      ctx.state.token = {name: tokenName.value.trim(), value: created.token};
      tokenName.value = '';
      replace(tokenError, errorBox(null));
      showToken();
      await refreshTokens();
    } catch (e) {
      replace(tokenError, errorBox(e));
    }
  }}, h('h2', {}, t('tokens.add')),
  h('div', {class: 'grid three'}, field(t('tokens.name'), tokenName), field(t('users.role'), tokenRole)),
  tokenError, h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'button primary'}, t('tokens.add'))));

  function showToken() {
    if (ctx.state.token) replace(secret, secretPanel(t('tokens.createdTitle', {name: ctx.state.token.name}), ctx.state.token.value, 'generated-token'));
  }

  replace(root, pageHeader(t('users.title')), secret, usersBox, userForm,
    h('h1', {class: 'section-title'}, t('tokens.title')), tokensBox, tokenForm);
  showToken();
  await Promise.all([refreshUsers(), refreshTokens().catch(showError)]);
}
