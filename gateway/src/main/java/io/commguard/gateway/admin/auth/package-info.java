/**
 * Users, roles, sessions, API tokens and their API: the accounts in {@code users.db} (shared with
 * the {@code gateway users} CLI), the login with its throttling, the session cookie with its CSRF
 * token, and the routes that manage them and read the audit log. The store is blocking JDBC, used
 * from workers; {@link io.commguard.gateway.admin.auth.AuthService} answers the event loop from
 * memory.
 */
package io.commguard.gateway.admin.auth;
