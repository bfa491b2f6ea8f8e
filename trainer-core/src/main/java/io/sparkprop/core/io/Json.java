package io.sparkprop.core.io;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The project's one JSON mapper, configured once:
 * <ul>
 *   <li>records map to objects of their components (Java 17 records need no annotations);
 *       field-less records such as {@code ReLU()} write as {@code {"type":"relu"}}
 *       ({@code FAIL_ON_EMPTY_BEANS} off);</li>
 *   <li>{@code is...()} methods are not properties ({@code Loss.isClassification()},
 *       {@code Regularizer.isNone()} are computed, not settings);</li>
 *   <li>unknown keys fail ({@code FAIL_ON_UNKNOWN_PROPERTIES}), so a typo in a config is an
 *       error, not a silently ignored setting; so does text after the value;</li>
 *   <li>streams passed in are never closed (the caller owns them).</li>
 * </ul>
 * Files are written pretty-printed with a final newline. Errors name the source, the JSON path
 * and the line: {@code "model.json: at architecture.layers[0]: Unrecognized field "unit" ... (line 7, column 18)"}.
 * Note: a missing primitive key (e.g. {@code "alpha"} of a LeakyReLU) reads as 0 unless the
 * record's constructor rejects it.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Json() {
  }

  /** The shared mapper. Thread-safe; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code value} as compact one-line JSON. */
  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** {@code json} read as a {@code type}; a bad document gives an IllegalArgumentException naming what is wrong. */
  public static <T> T fromJson(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe("JSON " + type.getSimpleName(), e), e);
    }
  }

  /** Writes {@code value} pretty-printed, with a final newline, to {@code out} (not closed). */
  public static void writePretty(Object value, OutputStream out) throws IOException {
    PRETTY.writeValue(out, value);
    out.write('\n');
    out.flush();
  }

  /** Reads one {@code type} from {@code in} (not closed); errors name {@code source}. */
  public static <T> T read(InputStream in, Class<T> type, String source) throws FileFormatException {
    try {
      return MAPPER.readValue(in, type);
    } catch (JsonProcessingException e) {
      throw new FileFormatException(source, detail(e), e);
    } catch (IOException e) {
      throw new FileFormatException(source, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads the JSON tree in {@code in} (not closed); errors name {@code source}. */
  public static JsonNode readTree(InputStream in, String source) throws FileFormatException {
    try {
      JsonNode node = MAPPER.readTree(in);
      if (node == null || node.isMissingNode()) {
        throw new FileFormatException(source, "empty file, expected a JSON document");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new FileFormatException(source, detail(e), e);
    } catch (FileFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new FileFormatException(source, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Converts a tree read from {@code source} into a {@code type}; errors name the source and path. */
  public static <T> T treeToValue(JsonNode node, Class<T> type, String source) throws FileFormatException {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new FileFormatException(source, detail(e), e);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source, e.getMessage(), e);
    }
  }

  /** {@code source: detail}, see {@link #detail}. */
  static String describe(String source, JsonProcessingException e) {
    return source + ": " + detail(e);
  }

  /** "at a.b[2]: message (line L, column C)" without Jackson's class-chain noise. */
  static String detail(JsonProcessingException e) {
    StringBuilder b = new StringBuilder();
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      if (path.length() > 0) {
        b.append("at ").append(path).append(": ");
      }
    }
    b.append(e.getOriginalMessage());
    JsonLocation loc = e.getLocation();
    if (loc != null && loc.getLineNr() > 0) {
      b.append(" (line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr()).append(')');
    }
    return b.toString();
  }
}
