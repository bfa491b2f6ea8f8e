package io.sparkprop.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw text to token ids (Keras' {@code TextVectorization} with {@code output_mode="int"}): tokens
 * from a {@link Tokenizer}, id {@code 0} = padding, {@code 1} = unknown (a token outside the
 * vocabulary), {@code 2…} the vocabulary in order, at most {@link TextConfig#maxLength()} ids per
 * text (the rest is cut). Immutable and thread-safe.
 *
 * <p>The vocabulary ({@link #fit}) is the tokens of the training texts seen at least
 * {@code minCount} times, most frequent first, ties in increasing {@link String#compareTo} order
 * (deterministic whatever the input order), cut to {@code maxTokens − 2} entries. Saved as JSON
 * ({@link #save}, {@link #load}) beside a model.
 */
public final class TextVectorizer {
  /** Id of padding. */
  public static final int PADDING = 0;
  /** Id of a token outside the vocabulary. */
  public static final int UNKNOWN = 1;
  /** The names written for the two reserved ids. */
  public static final List<String> RESERVED = List.of("", "[UNK]");
  static final String FORMAT = "sparkprop-text-vectorizer";

  private final TextConfig config;
  private final List<String> vocabulary;
  private final Map<String, Integer> ids;
  private final Tokenizer tokenizer;

  /**
   * A vectorizer with a known vocabulary: {@code vocabulary} lists the tokens of ids 2, 3, …
   * (without the reserved entries), no duplicates.
   */
  public TextVectorizer(TextConfig config, List<String> vocabulary) {
    this.config = config;
    this.vocabulary = List.copyOf(vocabulary);
    this.ids = new HashMap<>(vocabulary.size() * 2);
    for (int i = 0; i < this.vocabulary.size(); i++) {
      String t = this.vocabulary.get(i);
      if (t.isEmpty() || ids.put(t, i + 2) != null) {
        throw new IllegalArgumentException("vocabulary entry " + (i + 2) + " \"" + t + "\" is "
            + (t.isEmpty() ? "empty" : "a duplicate"));
      }
    }
    this.tokenizer = new Tokenizer(config);
  }

  /** Learns the vocabulary of {@code texts} (see the class comment). */
  public static TextVectorizer fit(TextConfig config, Iterable<String> texts) {
    Tokenizer tok = new Tokenizer(config);
    Map<String, long[]> counts = new HashMap<>();
    for (String text : texts) {
      if (text != null) {
        tok.forEach(text, Integer.MAX_VALUE, t -> counts.computeIfAbsent(t, k -> new long[1])[0]++);
      }
    }
    Map<String, Long> flat = new HashMap<>(counts.size() * 2);
    counts.forEach((k, v) -> flat.put(k, v[0]));
    return fromCounts(config, flat);
  }

  /** The vocabulary chosen from token counts (computed anywhere, e.g. with Spark). */
  public static TextVectorizer fromCounts(TextConfig config, Map<String, Long> counts) {
    List<Map.Entry<String, Long>> kept = new ArrayList<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getValue() >= config.minCount() && !e.getKey().isEmpty()) {
        kept.add(e);
      }
    }
    kept.sort((a, b) -> {
      int c = Long.compare(b.getValue(), a.getValue());
      return c != 0 ? c : a.getKey().compareTo(b.getKey());
    });
    int n = Math.min(kept.size(), config.maxTokens() - RESERVED.size());
    List<String> vocab = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      vocab.add(kept.get(i).getKey());
    }
    return new TextVectorizer(config, vocab);
  }

  /** The settings. */
  public TextConfig config() {
    return config;
  }

  /** The tokens of ids 2, 3, … in order. */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** Number of ids including padding and unknown: the input size of an Embedding. */
  public int size() {
    return vocabulary.size() + RESERVED.size();
  }

  /** The id of one token (unknown when outside the vocabulary). */
  public int id(String token) {
    Integer i = ids.get(token);
    return i == null ? UNKNOWN : i;
  }

  /**
   * Writes the ids of {@code text}'s first {@code maxLength} tokens into {@code out[off…]}, pads the
   * rest of the {@code maxLength} slots with 0 and returns the number of tokens (0 for a text
   * without tokens).
   */
  public int encode(String text, int[] out, int off) {
    int max = config.maxLength();
    int[] n = {0};
    tokenizer.forEach(text, max, t -> out[off + n[0]++] = id(t));
    Arrays.fill(out, off + n[0], off + max, PADDING);
    return n[0];
  }

  /**
   * {@link #encode} that rejects a text without tokens: {@code where} names it in the message
   * ({@code "row 12 of column 'text'"}).
   */
  public int encodeNonEmpty(String text, int[] out, int off, String where) {
    if (text == null) {
      throw new IllegalArgumentException(where + ": the text is missing (null)");
    }
    int n = encode(text, out, off);
    if (n == 0) {
      String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
      throw new IllegalArgumentException(where + ": the text has no tokens (\"" + shown + "\"), nothing to learn "
          + "from; drop or fill empty texts first");
    }
    return n;
  }

  /** The ids of {@code text}, {@code maxLength} long, padded with 0. */
  public int[] encode(String text) {
    int[] out = new int[config.maxLength()];
    encode(text, out, 0);
    return out;
  }

  /**
   * Fails with one line naming {@code source} unless this vocabulary has {@code expected} ids (the
   * input size of the model's Embedding).
   */
  public void requireSize(int expected, String source) {
    if (size() != expected) {
      throw new IllegalArgumentException(source + ": the text vocabulary has " + size() + " ids but the model's "
          + "embedding takes " + expected + "; the vectorizer does not belong to this model");
    }
  }

  /** This vectorizer as a JSON tree: format, version, config and the full vocabulary (reserved first). */
  public JsonNode toJson() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    root.set("config", Json.mapper().valueToTree(config));
    ArrayNode v = root.putArray("vocabulary");
    RESERVED.forEach(v::add);
    vocabulary.forEach(v::add);
    return root;
  }

  /** Reads a tree written by {@link #toJson}; errors name {@code source}. */
  public static TextVectorizer fromJson(JsonNode root, String source) throws FileFormatException {
    if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new FileFormatException(source, "not a sparkprop text vectorizer (expected \"format\": \"" + FORMAT
          + "\")");
    }
    if (root.path("version").asInt() != 1) {
      throw new FileFormatException(source, "unsupported text vectorizer version " + root.path("version"));
    }
    TextConfig config = Json.treeToValue(root.path("config"), TextConfig.class, source);
    JsonNode v = root.path("vocabulary");
    if (!v.isArray() || v.size() < RESERVED.size() || !RESERVED.get(0).equals(v.get(0).asText())
        || !RESERVED.get(1).equals(v.get(1).asText())) {
      throw new FileFormatException(source, "the vocabulary must be an array starting with \"\" (padding) and "
          + "\"[UNK]\" (unknown)");
    }
    List<String> vocab = new ArrayList<>(v.size());
    for (int i = RESERVED.size(); i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new FileFormatException(source, "vocabulary entry " + i + " is not a string: " + v.get(i));
      }
      vocab.add(v.get(i).asText());
    }
    try {
      return new TextVectorizer(config, vocab);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source, e.getMessage(), e);
    }
  }

  /** Writes {@link #toJson} to {@code file} atomically. */
  public void save(Path file) throws IOException {
    JsonNode tree = toJson();
    AtomicFiles.write(out -> Json.writePretty(tree, out), file);
  }

  /** Reads a file written by {@link #save}; errors name the file. */
  public static TextVectorizer load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FileFormatException(file.toString(), "no such text vectorizer file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return fromJson(Json.readTree(in, file.toString()), file.toString());
    }
  }
}
