package io.commguard.gateway.admin.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.admin.Access;
import io.commguard.gateway.metrics.Counters;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every device and commissioning route is in docs/openapi.yaml under the tag devices or commissioning,
 * and every path documented there under those tags is routed.
 */
class DeviceRoutesOpenApiTest {
  @Test
  @SuppressWarnings("unchecked")
  void everyDeviceRoute_isDocumented_andEveryDocumentedDevicePathIsRouted() throws Exception {
    Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(Path.of("../docs/openapi.yaml").toFile(), Map.class);
    Set<String> documented = new TreeSet<>();
    ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, ops) -> ops.forEach((method, op) -> {
      if (!method.equals("parameters") && ((Map<String, Object>) op).get("tags").toString().matches(".*\\b(devices|commissioning)\\b.*")) {
        documented.add(method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{([A-Za-z]+)}", ":$1"));
      }
    }));
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      Access access = new Access(null, new Counters());
      new DeviceRoutes(null, null, java.util.List.of(), null).mount(router, access);
      new CommissioningRoutes(null, null, null, java.time.Clock.systemUTC()).mount(router, access);
      Set<String> routed = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        route.methods().forEach(m -> routed.add(m.name() + " " + route.getPath()));
      }
      assertThat(routed).isNotEmpty();
      assertThat(documented).isEqualTo(routed);
    } finally {
      vertx.close().await();
    }
  }
}
