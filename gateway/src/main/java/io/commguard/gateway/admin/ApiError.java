package io.commguard.gateway.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Error answers. Under {@code /api/v1/} they are {@code {"error": code, "message": text,
 * "problems": [{"path","reason"}]}} with the message in the request's language ({@code
 * Accept-Language} zh* → zh-CN, else English); the unversioned paths of earlier releases keep
 * their {@code {"error": text}} shape.
 */
public final class ApiError {
  public static final String API_PREFIX = "/api/v1/";

  /** One thing wrong with a request body: where ({@code devices[3].id}, a CSV column) and why. */
  public record Problem(String path, String reason) {}

  /** Messages of the codes the server itself answers with, per language. */
  private static final Map<String, Map<String, String>> MESSAGES = Map.of(
      "unauthenticated", Map.of("en", "log in or present an API token", "zh-CN", "请登录或提供 API 令牌"),
      "forbidden", Map.of("en", "your role may not do this", "zh-CN", "您的角色无权执行此操作"),
      "csrf", Map.of("en", "missing or wrong X-CSRF-Token header; reload the page", "zh-CN", "缺少或错误的 X-CSRF-Token 请求头，请刷新页面"),
      "bad_credentials", Map.of("en", "wrong user name or password", "zh-CN", "用户名或密码错误"),
      "throttled", Map.of("en", "too many failed logins; try again later", "zh-CN", "登录失败次数过多，请稍后再试"),
      "internal", Map.of("en", "internal error; see the gateway log", "zh-CN", "内部错误，请查看网关日志"));

  private ApiError() {}

  /** {@code zh-CN} when the request prefers Chinese, else {@code en}. */
  public static String language(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept-Language");
    return accept != null && accept.trim().toLowerCase(java.util.Locale.ROOT).startsWith("zh") ? "zh-CN" : "en";
  }

  /** Answers with one of the server's own codes, its message in the request's language. */
  public static void send(RoutingContext ctx, int status, String code) {
    send(ctx, status, code, MESSAGES.get(code).get(language(ctx)), List.of());
  }

  public static void send(RoutingContext ctx, int status, String code, String message) {
    send(ctx, status, code, message, List.of());
  }

  public static void send(RoutingContext ctx, int status, String code, String message, List<Problem> problems) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject body;
    if (ctx.request().path().startsWith(API_PREFIX)) {
      body = new JsonObject().put("error", code).put("message", message);
      if (!problems.isEmpty()) {
        JsonArray list = new JsonArray();
        problems.forEach(p -> list.add(new JsonObject().put("path", p.path()).put("reason", p.reason())));
        body.put("problems", list);
      }
    } else {
      body = new JsonObject().put("error", message);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
