// CSV import: the template, a dry run listing every bad row (row, column, reason), then apply (all
// or nothing) and the new devices' credentials as a CSV, offered once.

import {href, post} from '../api.js';
import {download, h, replace, table} from '../dom.js';
import {t} from '../i18n.js';
import {errorBox, pageHeader} from '../ui.js';

export function render(root, ctx) {
  const file = h('input', {id: 'import-file', type: 'file', accept: '.csv,text/csv'});
  const dryRun = h('button', {id: 'import-dry-run', type: 'button', class: 'button', disabled: true}, t('import.dryRun'));
  const apply = h('button', {id: 'import-apply', type: 'button', class: 'button primary', disabled: true}, t('import.apply'));
  const result = h('div', {id: 'import-result', role: 'status'});
  const errors = h('div', {id: 'import-errors'});
  let bytes = null;

  const send = (dry) => post('/devices/import', bytes, {query: {dryRun: String(dry)}, contentType: 'text/csv'});
  const showErrors = (list) => replace(errors, list.length
    ? [h('h2', {}, t('import.errorsTitle', {n: list.length})),
      table('import-error-table', [t('import.row'), t('import.column'), t('import.reason')],
        list.map((e) => h('tr', {'data-row': e.row}, h('td', {}, e.row), h('td', {}, e.column || '—'), h('td', {}, e.reason))))]
    : []);

  file.addEventListener('change', async () => {
    apply.disabled = true;
    replace(result);
    replace(errors);
    ctx.state.credentials = null;
    bytes = file.files.length ? await file.files[0].arrayBuffer() : null;
    dryRun.disabled = !bytes;
  });

  dryRun.addEventListener('click', async () => {
    dryRun.disabled = true;
    try {
      const answer = await send(true);
      showErrors(answer.errors || []);
      const clean = !(answer.errors || []).length;
      replace(result, h('p', {class: clean ? 'ok-text' : 'bad-text'},
        clean ? t('import.dryRunClean', {n: answer.valid}) : t('import.dryRunErrors', {n: answer.valid, errors: answer.errors.length})));
      apply.disabled = !clean || !answer.valid;
    } catch (e) {
      showErrors(rowErrors(e));
      replace(result, errorBox(e));
    }
    dryRun.disabled = false;
  });

  apply.addEventListener('click', async () => {
    apply.disabled = true;
    try {
      const answer = await send(false);
      ctx.state.credentials = answer.credentialsCsv || null;
      replace(result, h('p', {class: 'ok-text'}, t('import.applied', {
        created: answer.created ?? 0, updated: answer.updated ?? 0, unchanged: answer.unchanged ?? 0})));
      replace(errors);
      showCredentials();
    } catch (e) {
      showErrors(rowErrors(e));
      replace(result, errorBox(e));
    }
  });

  const credentials = h('div', {});
  function showCredentials() {
    if (!ctx.state.credentials) return;
    replace(credentials, h('section', {class: 'secret-panel'},
      h('h2', {}, t('import.credentialsTitle')),
      h('p', {class: 'warning'}, h('strong', {}, t('secret.onceTitle')), ' ', t('import.credentialsText')),
      h('button', {id: 'import-credentials', type: 'button', class: 'button primary',
        onclick: () => download('device-credentials.csv', ctx.state.credentials)}, t('import.downloadCredentials'))));
  }

  replace(root,
    pageHeader(t('import.title'),
      h('a', {id: 'import-template', class: 'button', href: href('/devices/import/template'), download: 'devices-template.csv'}, t('import.template')),
      h('a', {class: 'button', href: href('/devices/export'), download: 'devices.csv'}, t('import.export'))),
    h('section', {class: 'card'},
      h('ol', {class: 'steps'},
        h('li', {}, t('import.step1')),
        h('li', {}, t('import.step2')),
        h('li', {}, t('import.step3'))),
      h('div', {class: 'toolbar'}, h('label', {class: 'inline'}, h('span', {}, t('import.file')), file), dryRun, apply),
      result),
    errors,
    credentials);
  showCredentials();
}

/** The per-row errors a refused import carries in its error body, if any. */
function rowErrors(error) {
  return error.body && Array.isArray(error.body.errors) ? error.body.errors : [];
}
