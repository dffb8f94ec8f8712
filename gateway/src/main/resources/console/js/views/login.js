// Sign in with a user created on the box (gateway users add NAME --role ROLE).

import {post} from '../api.js';
import {h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {errorBox, field} from '../ui.js';

export function render(root, ctx) {
  const user = h('input', {id: 'login-user', name: 'user', autocomplete: 'username', required: true, autofocus: true});
  const password = h('input', {id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const submit = h('button', {id: 'login-submit', type: 'submit', class: 'button primary'}, t('login.submit'));
  const error = h('div', {id: 'login-error'}, errorBox(null));
  const form = h('form', {class: 'card login', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!user.value || !password.value) {
      replace(error, errorBox({message: t('login.missing')}));
      return;
    }
    submit.disabled = true;
    try {
      ctx.loggedIn(await post('/session', {user: user.value, password: password.value}));
      const next = ctx.query.get('next');
      ctx.navigate(next && next !== 'login' ? next : 'devices');
    } catch (e) {
      password.value = '';
      replace(error, errorBox(e));
      submit.disabled = false;
      password.focus();
    }
  }},
  h('h1', {}, t('login.title')),
  h('p', {class: 'lead'}, t('login.lead')),
  field(t('login.user'), user),
  field(t('login.password'), password),
  error,
  h('div', {class: 'form-actions'}, submit));
  replace(root, h('div', {class: 'login-page'}, form));
  user.focus();
}
