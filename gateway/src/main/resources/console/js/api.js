// The admin API as the console calls it: JSON in and out, the session cookie, the CSRF token on
// every change, the request's language, and every failure turned into an ApiError whose message is
// the server's own words (never a stack trace).

import {language, t} from './i18n.js';

export const BASE = '/api/v1';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;
let whenUnauthenticated = () => {};

export class ApiError extends Error {
  constructor(status, code, message, problems = [], body = null) {
    super(message);
    this.body = body;
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

export function setCsrfToken(token) {
  csrfToken = token;
}

/** Called once per 401 on any call but the session's own (an expired session): back to login. */
export function onUnauthenticated(handler) {
  whenUnauthenticated = handler;
}

/**
 * One API call. `body`: an object (sent as JSON), or a string/ArrayBuffer/Blob sent as is with
 * `contentType`. Resolves to the parsed JSON, the text for other types, or null for 204.
 */
export async function call(method, path, {body, query, contentType} = {}) {
  const headers = {'Accept': 'application/json', 'Accept-Language': language()};
  if (MUTATING.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload;
  if (body !== undefined) {
    const raw = typeof body === 'string' || body instanceof ArrayBuffer || body instanceof Blob;
    payload = raw ? body : JSON.stringify(body);
    headers['Content-Type'] = contentType || (raw ? 'text/plain; charset=utf-8' : 'application/json');
  }
  let response;
  try {
    response = await fetch(BASE + path + queryString(query), {
      method, headers, body: payload, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (response.status === 401 && path !== '/session') whenUnauthenticated();
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path, query) => call('GET', path, {query});
export const post = (path, body, options = {}) => call('POST', path, {body, ...options});
export const put = (path, body) => call('PUT', path, {body});
export const del = (path, query) => call('DELETE', path, {query});

/**
 * Server-Sent Events from `path`: onEvent(parsed JSON) for each message, onState('open'|'retrying')
 * as the connection goes. Returns a function that closes the stream.
 */
export function events(path, onEvent, onState = () => {}) {
  const source = new EventSource(BASE + path, {withCredentials: true});
  source.onopen = () => onState('open');
  source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'retrying');
  source.onmessage = (message) => {
    try {
      onEvent(JSON.parse(message.data));
    } catch (e) {
      // A message that is not JSON is not an event of this API; skipped rather than shown raw.
    }
  };
  return () => source.close();
}

/** The URL of a GET the browser itself follows (a download link). */
export function href(path, query) {
  return BASE + path + queryString(query);
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (body && typeof body.message === 'string' && body.message) {
    return new ApiError(response.status, body.error || 'error', body.message, Array.isArray(body.problems) ? body.problems : [], body);
  }
  const code = body && typeof body.error === 'string' ? body.error : 'http';
  const key = {401: 'error.unauthenticated', 403: 'error.forbidden', 404: 'error.notFound', 429: 'error.throttled'}[response.status];
  return new ApiError(response.status, code, key ? t(key) : t('error.http', {status: response.status}), [], body);
}
