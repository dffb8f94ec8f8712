// Element building from text nodes and attributes only: every text a peer or user sent reaches the page as text, never as markup.

/**
 * h('button', {class: 'button', onclick: fn, disabled: true}, 'Save') → <button class="button">Save</button>.
 * Attributes: on* become listeners, `text` sets textContent, booleans toggle, null/undefined/false are skipped.
 * Children: strings and numbers become text nodes, arrays are flattened, null/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name === 'value' && 'value' in el) {
      el.value = value;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** A table whose head is `headers` (already translated) and whose body is `rows` (tr elements). */
export function table(id, headers, rows, attrs = {}) {
  return h('div', {class: 'table-wrap'},
    h('table', {id, class: 'data', ...attrs},
      h('thead', {}, h('tr', {}, headers.map((label) => h('th', {scope: 'col'}, label)))),
      h('tbody', {}, rows)));
}

/** Saves `text` as a file named `name` through a temporary object URL. */
export function download(name, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = h('a', {href: url, download: name, hidden: true});
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
