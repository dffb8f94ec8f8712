// Texts of the console in English and Simplified Chinese (../i18n/*.json). The language comes from
// the browser unless the user picked one, which is remembered in localStorage.

export const LANGUAGES = ['en', 'zh-CN'];
const STORAGE_KEY = 'commguard.lang';
let current = 'en';
let texts = {};
let fallback = {};

/** The remembered language, else the first of the browser's languages that the console speaks. */
export function preferredLanguage() {
  const stored = safeStorage(() => localStorage.getItem(STORAGE_KEY));
  if (LANGUAGES.includes(stored)) return stored;
  const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (const tag of wanted) {
    const lower = String(tag || '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export async function loadLanguage(lang) {
  const wanted = LANGUAGES.includes(lang) ? lang : 'en';
  if (!Object.keys(fallback).length) fallback = await fetchTexts('en');
  texts = wanted === 'en' ? fallback : await fetchTexts(wanted);
  current = wanted;
  document.documentElement.lang = wanted;
}

export function rememberLanguage(lang) {
  safeStorage(() => localStorage.setItem(STORAGE_KEY, lang));
}

export function language() {
  return current;
}

/** The text for `key` with each {name} replaced by params.name; the key itself when it has no text. */
export function t(key, params = {}) {
  const text = texts[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Translates the elements under `root` that carry data-i18n (text) or data-i18n-title (tooltip). */
export function translateStatic(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
}

/** An ISO-8601 time as local "YYYY-MM-DD HH:mm:ss", read the same way in both languages; '—' when absent. */
export function formatTime(iso) {
  if (!iso) return '—';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return String(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${two(time.getMonth() + 1)}-${two(time.getDate())} `
    + `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`;
}

async function fetchTexts(lang) {
  const response = await fetch(`/console/i18n/${lang}.json`, {credentials: 'same-origin'});
  if (!response.ok) throw new Error(`language file ${lang}: HTTP ${response.status}`);
  return response.json();
}

// Private browsing modes may refuse storage; the console then forgets the choice at reload.
function safeStorage(action) {
  try {
    return action();
  } catch (e) {
    return null;
  }
}
