package io.commguard.gateway.profile.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.commguard.gateway.profile.DecodeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Turns payload bytes into trees (one per record) that {@link FieldPath}s walk, whatever the
 * syntax. Stateless and thread-safe. Error details give only a position, never payload text,
 * because payloads may hold personal data.
 */
final class PayloadParser {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final XMLInputFactory XML = xmlFactory();

  private final Codec codec;
  private final KvOptions kv;

  PayloadParser(Codec codec, KvOptions kv) {
    this.codec = codec;
    this.kv = kv;
  }

  /** One tree per record in the payload: JSON and XML give one, {@code kv} one per line. */
  List<JsonNode> parse(byte[] payload) throws DecodeException {
    switch (codec) {
      case JSON:
        return List.of(json(payload));
      case XML:
        return List.of(xml(payload));
      case KV:
        return kv(new String(payload, StandardCharsets.UTF_8));
      default:
        return List.of(firstNonBlank(payload) == '<' ? xml(payload) : json(payload));
    }
  }

  private static int firstNonBlank(byte[] payload) {
    for (byte b : payload) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
        return b;
      }
    }
    return -1;
  }

  static JsonNode json(byte[] payload) throws DecodeException {
    try (JsonParser p = JSON_FACTORY.createParser(payload)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new DecodeException("", "malformed_json", "empty payload");
      }
      JsonNode root = tree(p, first);
      if (p.nextToken() != null) {
        throw new DecodeException("", "malformed_json", "trailing data at " + where(p.currentLocation()));
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new DecodeException("", "malformed_json", where(e.getLocation()));
    } catch (IOException e) {
      throw new DecodeException("", "malformed_json", "unreadable");
    }
  }

  /**
   * Builds the tree straight from the token stream, with an explicit stack (no recursion, so deep
   * nesting cannot overflow a thread stack; the parser caps the depth). Same nodes as Jackson's
   * {@code readTree}, at a fraction of its per-document set-up cost.
   */
  private static JsonNode tree(JsonParser p, JsonToken first) throws IOException {
    Deque<ContainerNode<?>> open = new ArrayDeque<>();
    JsonToken t = first;
    while (true) {
      JsonNode value;
      switch (t) {
        case START_OBJECT -> {
          open.push(NODES.objectNode());
          t = p.nextToken();
          continue;
        }
        case START_ARRAY -> {
          open.push(NODES.arrayNode());
          t = p.nextToken();
          continue;
        }
        case FIELD_NAME -> {
          t = p.nextToken();
          continue;
        }
        case END_OBJECT, END_ARRAY -> value = open.pop();
        case VALUE_STRING -> value = NODES.textNode(p.getText());
        case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
        case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDoubleValue());
        case VALUE_TRUE -> value = NODES.booleanNode(true);
        case VALUE_FALSE -> value = NODES.booleanNode(false);
        case VALUE_NULL -> value = NODES.nullNode();
        default -> throw new JsonParseException(p, "unexpected token " + t);
      }
      ContainerNode<?> parent = open.peek();
      if (parent == null) {
        return value;
      }
      if (parent instanceof ObjectNode object) {
        // For a value, and for the end of a nested container, this is the name it stands under.
        object.replace(p.currentName(), value);
      } else {
        ((ArrayNode) parent).add(value);
      }
      t = p.nextToken();
    }
  }

  private static String where(JsonLocation at) {
    return at == null ? null : "line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  // ---- XML ----

  private static XMLInputFactory xmlFactory() {
    // Aalto rather than the JDK's parser: the JDK builds a new scanner with its security-manager
    // lookups for every document, which cost more than parsing a small ISAPI alert.
    XMLInputFactory f = new InputFactoryImpl();
    // No DTDs and no external entities: closes XXE and entity-expansion attacks.
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** One open element while building the tree. */
  private static final class Frame {
    final String name;
    ObjectNode children;
    StringBuilder text;

    Frame(String name) {
      this.name = name;
    }
  }

  static JsonNode xml(byte[] payload) throws DecodeException {
    XMLStreamReader r = null;
    try {
      r = XML.createXMLStreamReader(new ByteArrayInputStream(payload));
      Deque<Frame> open = new ArrayDeque<>();
      JsonNode root = null;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.START_ELEMENT -> {
            Frame f = new Frame(r.getLocalName());
            for (int i = 0; i < r.getAttributeCount(); i++) {
              children(f).put("@" + r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
            open.push(f);
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            Frame f = open.peek();
            if (f != null) {
              (f.text == null ? f.text = new StringBuilder() : f.text).append(r.getText());
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            Frame f = open.pop();
            JsonNode value = f.children != null && f.children.size() > attributeCount(f.children)
                ? f.children
                : TextNode.valueOf(f.text == null ? "" : f.text.toString().strip());
            Frame parent = open.peek();
            if (parent == null) {
              root = value;
            } else {
              add(children(parent), f.name, value);
            }
          }
          case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
              throw new DecodeException("", "malformed_xml", "DTDs and entity references are not accepted");
          default -> {
            // comments, processing instructions: ignored
          }
        }
      }
      if (root == null) {
        throw new DecodeException("", "malformed_xml", "no root element");
      }
      return root;
    } catch (XMLStreamException e) {
      Location at = e.getLocation();
      throw new DecodeException("", "malformed_xml", at == null ? null : "line " + at.getLineNumber() + ", column " + at.getColumnNumber());
    } catch (RuntimeException e) {
      // StAX parsers throw unchecked exceptions on some malformed input; bad bytes are still just bad XML.
      throw new DecodeException("", "malformed_xml", "parser failed: " + e.getClass().getSimpleName());
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held open: the input is a byte array
        }
      }
    }
  }

  private static ObjectNode children(Frame f) {
    return f.children == null ? f.children = NODES.objectNode() : f.children;
  }

  private static int attributeCount(ObjectNode children) {
    int n = 0;
    for (var it = children.fieldNames(); it.hasNext(); ) {
      if (it.next().startsWith("@")) {
        n++;
      }
    }
    return n;
  }

  /** A repeated element turns the field into an array; XML has no other way to say "list". */
  private static void add(ObjectNode parent, String name, JsonNode value) {
    JsonNode existing = parent.get(name);
    if (existing == null) {
      parent.set(name, value);
    } else if (existing instanceof ArrayNode list) {
      list.add(value);
    } else {
      ArrayNode list = NODES.arrayNode();
      list.add(existing);
      list.add(value);
      parent.set(name, list);
    }
  }

  // ---- key=value text ----

  private List<JsonNode> kv(String text) throws DecodeException {
    List<JsonNode> records = new ArrayList<>();
    String rs = kv.recordSeparator();
    String ps = kv.pairSeparator();
    String kvs = kv.keyValueSeparator();
    ObjectNode record = NODES.objectNode();
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      if (text.startsWith(rs, pos)) {
        if (!record.isEmpty()) {
          records.add(record);
          record = NODES.objectNode();
        }
        pos += rs.length();
        continue;
      }
      if (text.startsWith(ps, pos)) {
        pos += ps.length();
        continue;
      }
      int stop = Math.min(indexOrEnd(text, rs, pos), indexOrEnd(text, ps, pos));
      int eq = text.indexOf(kvs, pos);
      if (eq < 0 || eq >= stop) {
        if (text.substring(pos, stop).isBlank()) {
          pos = stop;
          continue;
        }
        throw new DecodeException("", "malformed_text", "record " + (records.size() + 1) + " has a pair without '" + kvs + "'");
      }
      String key = text.substring(pos, eq).strip();
      if (key.isEmpty()) {
        throw new DecodeException("", "malformed_text", "record " + (records.size() + 1) + " has an empty key");
      }
      int valueStart = eq + kvs.length();
      int first = skipBlanks(text, valueStart);
      if (kv.jsonValueKeys().contains(key) && first < n && (text.charAt(first) == '{' || text.charAt(first) == '[')) {
        pos = embeddedJson(text, first, record, key);
      } else {
        record.put(key, text.substring(valueStart, stop).strip());
        pos = stop;
      }
    }
    if (!record.isEmpty()) {
      records.add(record);
    }
    if (records.isEmpty()) {
      throw new DecodeException("", "malformed_text", "no " + kvs + " pairs");
    }
    return records;
  }

  private static int indexOrEnd(String text, String sep, int from) {
    int i = text.indexOf(sep, from);
    return i < 0 ? text.length() : i;
  }

  private static int skipBlanks(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** Parses one JSON value starting at {@code start}; returns the index just after it. */
  private static int embeddedJson(String text, int start, ObjectNode record, String key) throws DecodeException {
    try (JsonParser p = JSON_FACTORY.createParser(text.substring(start))) {
      JsonNode value = tree(p, p.nextToken());
      record.set(key, value);
      return start + (int) p.currentLocation().getCharOffset();
    } catch (JsonProcessingException e) {
      throw new DecodeException(key, "malformed_json", where(e.getLocation()));
    } catch (IOException e) {
      throw new DecodeException(key, "malformed_json", "unreadable");
    }
  }
}
