package io.commguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.admin.auth.AuthRoutes;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;

/** Checks an admin API answer against docs/openapi.yaml (as the jar carries it): its status is documented and its JSON validates. */
public final class OpenApiConformance {
  private static final JsonObject DOC = load();

  private OpenApiConformance() {}

  /**
   * @param path the documented path, e.g. {@code /api/v1/devices/{id}}
   * @param method lower case, e.g. {@code get}
   */
  public static void conforms(String path, String method, HttpResponse<String> answer) {
    JsonObject responses = DOC.getJsonObject("paths").getJsonObject(path).getJsonObject(method).getJsonObject("responses");
    String status = Integer.toString(answer.statusCode());
    assertThat(responses.fieldNames()).as(method + " " + path + " documents status " + status).contains(status);
    JsonObject response = responses.getJsonObject(status);
    if (response.containsKey("$ref")) {
      response = DOC.getJsonObject("components").getJsonObject("responses")
          .getJsonObject(response.getString("$ref").substring("#/components/responses/".length()));
    }
    JsonObject content = response.getJsonObject("content");
    if (content == null || !content.containsKey("application/json")) {
      assertThat(answer.body()).as(method + " " + path + " " + status + " has no JSON body").isEmpty();
      return;
    }
    JsonObject schema = content.getJsonObject("application/json").getJsonObject("schema").copy()
        .put("components", DOC.getJsonObject("components"));
    OutputUnit result = Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://commguard.invalid/"))
        .validate(Json.decodeValue(answer.body()));
    assertThat(result.getValid()).as(method + " " + path + " " + status + ": " + answer.body() + " " + result.getErrors()).isTrue();
  }

  @SuppressWarnings("unchecked")
  private static JsonObject load() {
    try (InputStream in = OpenApiConformance.class.getClassLoader().getResourceAsStream(AuthRoutes.OPENAPI_RESOURCE)) {
      return new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(in, Map.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
