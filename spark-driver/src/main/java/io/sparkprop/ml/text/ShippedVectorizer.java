package io.sparkprop.ml.text;

import io.sparkprop.core.io.Json;
import io.sparkprop.core.text.TextVectorizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A core {@link TextVectorizer} shipped to the executors inside a Spark function as its JSON (a
 * string: no Java serialization of the vocabulary) and rebuilt there on first use, once per
 * deserialized copy, i.e. once per task.
 */
public final class ShippedVectorizer implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String json;
  private final String source;
  private transient TextVectorizer vectorizer;

  /** Ships {@code v}; a JSON that cannot be read back (never expected) fails naming {@code source}. */
  public ShippedVectorizer(TextVectorizer v, String source) {
    this(Json.toJson(v.toJson()), source);
  }

  ShippedVectorizer(String json, String source) {
    this.json = json;
    this.source = source;
  }

  /** The vectorizer, rebuilt from the JSON the first time. */
  public TextVectorizer get() {
    if (vectorizer == null) {
      vectorizer = parse(json, source);
    }
    return vectorizer;
  }

  /**
   * The {@code maxLength} token ids of {@code text}, 0-padded; a null text or one without tokens
   * fails with an {@link IllegalArgumentException} naming {@code where}.
   */
  public int[] ids(String text, String where) {
    TextVectorizer v = get();
    int[] out = new int[v.config().maxLength()];
    v.encodeNonEmpty(text, out, 0, where);
    return out;
  }

  /** The vectorizer of a JSON written by {@link TextVectorizer#toJson}; errors name {@code source}. */
  static TextVectorizer parse(String json, String source) {
    try {
      return TextVectorizer.fromJson(Json.mapper().readTree(json), source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
