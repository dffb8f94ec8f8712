package io.commguard.gateway.admin;

import io.vertx.ext.web.Router;

/**
 * One area of the admin API (status, auth, devices, ...). Each mounts its own routes, and every
 * route it mounts has {@code access.require(role)} before its own handler (after a {@code
 * BodyHandler} with the route's body limit, where it reads a body: Vert.x runs body handlers
 * first); the test that walks the router fails on a route anyone may call.
 */
public interface ApiRoutes {
  void mount(Router router, Access access);
}
