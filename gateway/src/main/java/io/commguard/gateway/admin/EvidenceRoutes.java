package io.commguard.gateway.admin;

import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.evidence.EvidenceStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;

/**
 * The pictures the evidence store kept, for admin users only (they may show faces or people at a
 * door):
 *
 * <pre>
 * GET /api/v1/evidence/{ref}    admin   200 with the image (its type read from its bytes), 404 for an
 *                                       unknown, evicted or foreign reference
 * </pre>
 *
 * {@code ref} is the reference an alert carries, {@code evidence:<name>}, or the name alone. The
 * file is read on the store's thread; every picture served is written to the audit log first
 * (action {@code evidence.read}, the reference, who).
 */
public final class EvidenceRoutes implements ApiRoutes {
  private static final System.Logger LOG = System.getLogger(EvidenceRoutes.class.getName());

  private final EvidenceStore store;
  private final Audit audit;

  public EvidenceRoutes(EvidenceStore store, Audit audit) {
    this.store = store;
    this.audit = audit;
  }

  @Override
  public void mount(Router router, Access access) {
    router.get("/api/v1/evidence/:ref").handler(access.require(Role.ADMIN)).handler(this::picture);
  }

  private void picture(RoutingContext ctx) {
    String ref = ctx.pathParam("ref");
    String full = ref.startsWith(EvidenceStore.REF_PREFIX) ? ref : EvidenceStore.REF_PREFIX + ref;
    store.read(full).whenComplete((picture, error) -> ctx.vertx().runOnContext(v -> {
      if (error != null || picture.isEmpty()) {
        ApiError.send(ctx, 404, "not_found", "no kept picture with this reference");
        return;
      }
      String actor = Access.principal(ctx).actor();
      ctx.vertx().executeBlocking(() -> audit.record(actor, "evidence.read", full, null, null), false)
          .onSuccess(entry -> {
            LOG.log(Level.INFO, "Admin evidence read ref={0} by={1} remote={2}", full, actor, ctx.request().remoteAddress());
            ctx.response().setStatusCode(200)
                .putHeader("Content-Type", picture.get().contentType())
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(picture.get().bytes()));
          })
          .onFailure(ctx::fail);
    }));
  }
}
