package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.model.ModelConfig;
import io.sparkprop.core.text.TextConfig;

/**
 * The {@code text} section: the samples are texts in {@code column} of JSON-lines, Parquet or
 * csv data (with a header; quoted texts may span lines), turned into token ids by a vectorizer whose vocabulary is counted with Spark on the
 * training texts and saved beside the model ({@code model/text.json}), so that
 * {@code evaluate} and {@code predict} take raw text. Keys: {@code column} (default "text") and
 * the vectorizer's settings of {@link TextConfig} ({@code lowercase}, {@code split},
 * {@code pattern}, {@code minCount}, {@code maxTokens}, {@code maxLength}).
 *
 * @param column   the text key or column
 * @param settings tokens, vocabulary size and length
 */
public record TextSpec(String column, @JsonIgnore TextConfig settings) {

  public TextSpec {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("column: expected the name of the text key or column, got \"" + column
          + "\"");
    }
  }

  @JsonCreator
  static TextSpec fromJson(@JsonProperty("column") String column, @JsonProperty("lowercase") Boolean lowercase,
                           @JsonProperty("split") String split, @JsonProperty("pattern") String pattern,
                           @JsonProperty("minCount") Integer minCount, @JsonProperty("maxTokens") Integer maxTokens,
                           @JsonProperty("maxLength") Integer maxLength) {
    TextConfig d = TextConfig.DEFAULTS;
    return new TextSpec(column == null ? "text" : column, new TextConfig(lowercase == null || lowercase, split,
        pattern, minCount == null ? d.minCount() : minCount, maxTokens == null ? d.maxTokens() : maxTokens,
        maxLength == null ? d.maxLength() : maxLength));
  }

  /** The vectorizer's settings as written in a config. */
  @JsonProperty("lowercase")
  boolean lowercase() {
    return settings.lowercase();
  }

  @JsonProperty("split")
  String split() {
    return settings.split();
  }

  @JsonProperty("pattern")
  String pattern() {
    return settings.pattern();
  }

  @JsonProperty("minCount")
  int minCount() {
    return settings.minCount();
  }

  @JsonProperty("maxTokens")
  int maxTokens() {
    return settings.maxTokens();
  }

  @JsonProperty("maxLength")
  int maxLength() {
    return settings.maxLength();
  }

  /**
   * Checks that {@code model} takes what this section makes, before any data is read: it starts
   * with an embedding of at least {@code maxTokens} rows, and its input shape (when given) is
   * {@code [maxLength]}.
   */
  void check(ModelConfig model) {
    if (!(model.layers().get(0) instanceof Embedding e)) {
      throw new IllegalArgumentException("text: the model takes token ids, so its first layer must be an embedding "
          + "(e.g. {\"type\": \"embedding\", \"inputDim\": " + settings.maxTokens() + ", \"outputDim\": 64}); it is "
          + model.layers().get(0).getClass().getSimpleName());
    }
    if (e.inputDim() < settings.maxTokens()) {
      throw new IllegalArgumentException("text: the embedding has inputDim " + e.inputDim() + " but text.maxTokens is "
          + settings.maxTokens() + "; give the embedding a row for every id the vocabulary can hold (inputDim >= "
          + "maxTokens) or lower maxTokens");
    }
    if (model.inputShape() != null && (model.inputShape().rank() != 1
        || model.inputShape().size() != settings.maxLength())) {
      throw new IllegalArgumentException("model.inputShape: " + model.inputShape() + " but a text becomes "
          + settings.maxLength() + " token ids (text.maxLength); use [" + settings.maxLength() + "] or leave it out");
    }
  }
}
