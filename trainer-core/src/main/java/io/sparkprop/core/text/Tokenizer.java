package io.sparkprop.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits text into tokens as a {@link TextConfig} says (lower-casing in the root locale). */
public final class Tokenizer {
  private final boolean lowercase;
  private final boolean characters;
  private final Pattern pattern;

  /** A tokenizer for {@code config}. */
  public Tokenizer(TextConfig config) {
    this.lowercase = config.lowercase();
    this.characters = config.split().equals("character");
    this.pattern = Pattern.compile(config.pattern());
  }

  /** Hands every token of {@code text}, in order, to {@code sink}; stops after {@code limit}. */
  public void forEach(String text, int limit, Consumer<String> sink) {
    String t = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    int n = 0;
    if (characters) {
      for (int i = 0; i < t.length() && n < limit; n++) {
        int cp = t.codePointAt(i);
        int next = i + Character.charCount(cp);
        sink.accept(t.substring(i, next));
        i = next;
      }
      return;
    }
    Matcher m = pattern.matcher(t);
    while (n < limit && m.find()) {
      if (m.end() > m.start()) {
        sink.accept(m.group());
        n++;
      }
    }
  }

  /** All tokens of {@code text}. */
  public List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    forEach(text, Integer.MAX_VALUE, out::add);
    return out;
  }
}
