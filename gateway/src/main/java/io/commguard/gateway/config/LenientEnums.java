package io.commguard.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.commguard.gateway.validation.Names;
import java.io.IOException;
import java.util.List;

/**
 * Makes every enum in the config follow the spelling rule of {@link Names} ({@code rtuOverTcp},
 * {@code rtu-over-tcp} and {@code RTU_OVER_TCP} are one value), with the same message and "did you
 * mean" as profiles and rules when a value is unknown.
 */
final class LenientEnums extends BeanDeserializerModifier {
  private static final long serialVersionUID = 1L;

  @Override
  public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
      BeanDescription description, JsonDeserializer<?> deserializer) {
    return new Deserializer(type.getRawClass());
  }

  private static final class Deserializer extends StdScalarDeserializer<Enum<?>> {
    private static final long serialVersionUID = 1L;

    Deserializer(Class<?> type) {
      super(type);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Enum<?> deserialize(JsonParser p, DeserializationContext context) throws IOException {
      Class type = handledType();
      String text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
      Enum<?> found = text == null ? null : Names.enumConstant(type, text);
      if (found == null) {
        List<String> names = Names.constants(type);
        String reason = "must be one of " + String.join(", ", names) + ", was '" + p.getText() + "'"
            + (text == null ? "" : Names.didYouMean(text, names));
        throw InvalidFormatException.from(p, reason, p.getText(), type);
      }
      return found;
    }
  }
}
