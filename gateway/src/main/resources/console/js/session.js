// Who is logged in and what their role allows. The server checks every call anyway; the console only
// hides or disables what the role may not use, so nobody is offered a button that can only fail.

const RANKS = {viewer: 0, technician: 1, installer: 2, admin: 3};
let current = null;

export function setSession(session) {
  current = session ? {user: session.user, role: String(session.role || '').toLowerCase()} : null;
}

export function session() {
  return current;
}

/** True when the logged-in role is `role` or higher (viewer < technician < installer < admin). */
export function can(role) {
  return current !== null && (RANKS[current.role] ?? -1) >= RANKS[role];
}
