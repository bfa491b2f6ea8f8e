package io.sparkprop.core.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How text becomes token ids (Keras' {@code TextVectorization} settings).
 *
 * @param lowercase lower-case the text first (default true)
 * @param split     {@code "word"}: the matches of {@code pattern} are the tokens (default);
 *                  {@code "character"}: every code point is a token
 * @param pattern   the word regular expression (default {@code [a-z0-9']+})
 * @param minCount  a token enters the vocabulary when seen at least this often (default 1)
 * @param maxTokens largest vocabulary size counting the two reserved ids (default 20,000;
 *                  Keras' {@code max_tokens})
 * @param maxLength tokens kept per text, the rest are cut (default 256)
 */
public record TextConfig(boolean lowercase, String split, String pattern, int minCount, int maxTokens,
                         int maxLength) implements java.io.Serializable {
  /** The default word pattern. */
  public static final String WORDS = "[a-z0-9']+";
  /** All defaults. */
  public static final TextConfig DEFAULTS = new TextConfig(true, "word", WORDS, 1, 20_000, 256);

  public TextConfig {
    split = split == null ? "word" : split;
    if (!split.equals("word") && !split.equals("character")) {
      throw new IllegalArgumentException("text split must be \"word\" or \"character\", got \"" + split + "\"");
    }
    pattern = pattern == null ? WORDS : pattern;
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("text pattern is not a regular expression: " + e.getDescription()
          + " in \"" + pattern + "\"");
    }
    if (minCount < 1) {
      throw new IllegalArgumentException("text minCount must be at least 1, got " + minCount);
    }
    if (maxTokens < 3) {
      throw new IllegalArgumentException("text maxTokens must be at least 3 (padding, unknown and one word), got "
          + maxTokens);
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("text maxLength must be positive, got " + maxLength);
    }
  }

  @JsonCreator
  static TextConfig fromJson(@JsonProperty("lowercase") Boolean lowercase, @JsonProperty("split") String split,
                             @JsonProperty("pattern") String pattern, @JsonProperty("minCount") Integer minCount,
                             @JsonProperty("maxTokens") Integer maxTokens,
                             @JsonProperty("maxLength") Integer maxLength) {
    return new TextConfig(lowercase == null || lowercase, split, pattern,
        minCount == null ? DEFAULTS.minCount : minCount, maxTokens == null ? DEFAULTS.maxTokens : maxTokens,
        maxLength == null ? DEFAULTS.maxLength : maxLength);
  }

  /** These settings with another minimum count. */
  public TextConfig withMinCount(int n) {
    return new TextConfig(lowercase, split, pattern, n, maxTokens, maxLength);
  }

  /** These settings with another vocabulary limit. */
  public TextConfig withMaxTokens(int n) {
    return new TextConfig(lowercase, split, pattern, minCount, n, maxLength);
  }

  /** These settings with another length limit. */
  public TextConfig withMaxLength(int n) {
    return new TextConfig(lowercase, split, pattern, minCount, maxTokens, n);
  }

  /** Character tokens instead of words. */
  public TextConfig characters() {
    return new TextConfig(lowercase, "character", pattern, minCount, maxTokens, maxLength);
  }
}
