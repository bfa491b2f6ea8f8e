package io.sparkprop.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, vocabulary order, ids, truncation, JSON files and bad input, all exact. */
class TextVectorizerTest {
  private static final List<String> TEXTS = List.of(
      "The cat sat on the mat.", "THE dog didn't sit; the cat did!", "A mat, a cat, a hat.");

  @Test
  void wordTokensAreLowerCasedRegexMatches() {
    Tokenizer t = new Tokenizer(TextConfig.DEFAULTS);
    assertThat(t.tokens("THE dog didn't sit; the cat did!"))
        .containsExactly("the", "dog", "didn't", "sit", "the", "cat", "did");
    assertThat(new Tokenizer(new TextConfig(false, "word", "[A-Za-z]+", 1, 10, 5)).tokens("Ab cD"))
        .containsExactly("Ab", "cD");
    assertThat(new Tokenizer(TextConfig.DEFAULTS.characters()).tokens("Ab c")).containsExactly("a", "b", " ", "c");
    assertThat(new Tokenizer(TextConfig.DEFAULTS.characters()).tokens("x😀")).containsExactly("x", "😀");
  }

  @Test
  void vocabularyIsByFrequencyThenAlphabeticalAndIndependentOfOrder() {
    // counts: the 4, cat 3, a 3, mat 2, then the singletons
    TextVectorizer v = TextVectorizer.fit(TextConfig.DEFAULTS, TEXTS);
    assertThat(v.vocabulary().subList(0, 4)).containsExactly("the", "a", "cat", "mat");
    assertThat(v.vocabulary().subList(4, v.vocabulary().size()))
        .containsExactly("did", "didn't", "dog", "hat", "on", "sat", "sit");
    List<String> shuffled = new ArrayList<>(TEXTS);
    Collections.reverse(shuffled);
    assertThat(TextVectorizer.fit(TextConfig.DEFAULTS, shuffled).vocabulary()).isEqualTo(v.vocabulary());
    assertThat(v.size()).isEqualTo(13);
  }

  @Test
  void minCountAndMaxTokensCutTheVocabulary() {
    assertThat(TextVectorizer.fit(TextConfig.DEFAULTS.withMinCount(2), TEXTS).vocabulary())
        .containsExactly("the", "a", "cat", "mat");
    // maxTokens counts the two reserved ids; the tie between "a" and "cat" is broken by the token
    assertThat(TextVectorizer.fit(TextConfig.DEFAULTS.withMaxTokens(4), TEXTS).vocabulary())
        .containsExactly("the", "a");
    assertThat(TextVectorizer.fromCounts(TextConfig.DEFAULTS.withMaxTokens(3), Map.of("b", 5L, "a", 5L)).vocabulary())
        .containsExactly("a");
  }

  @Test
  void idsPadUnknownAndTruncate() {
    TextVectorizer v = TextVectorizer.fit(TextConfig.DEFAULTS.withMinCount(2).withMaxLength(6), TEXTS);
    // the=2 a=3 cat=4 mat=5; unknown 1; padding 0
    assertThat(v.encode("The zebra and a cat")).containsExactly(2, 1, 1, 3, 4, 0);
    assertThat(v.encode("mat mat mat mat mat mat mat mat")).containsExactly(5, 5, 5, 5, 5, 5);
    int[] out = {9, 9, 9, 9, 9, 9, 9, 9};
    assertThat(v.encode("cat!", out, 1)).isEqualTo(1);
    assertThat(out).containsExactly(9, 4, 0, 0, 0, 0, 0, 9);
    assertThat(v.encode("...", out, 0)).isZero();
    assertThat(v.id("the")).isEqualTo(2);
    assertThat(v.id("zebra")).isEqualTo(TextVectorizer.UNKNOWN);
  }

  @Test
  void savedAsJsonAndLoadedBack(@TempDir Path dir) throws Exception {
    TextVectorizer v = TextVectorizer.fit(new TextConfig(false, "word", "\\w+", 1, 100, 7), TEXTS);
    Path f = dir.resolve("text.json");
    v.save(f);
    String json = Files.readString(f);
    assertThat(json).contains("\"format\" : \"sparkprop-text-vectorizer\"").contains("\"[UNK]\"");
    TextVectorizer back = TextVectorizer.load(f);
    assertThat(back.config()).isEqualTo(v.config());
    assertThat(back.vocabulary()).isEqualTo(v.vocabulary());
    assertThat(back.encode("The cat")).containsExactly(v.encode("The cat"));
    assertThat(Json.fromJson("{\"maxLength\": 9}", TextConfig.class)).isEqualTo(TextConfig.DEFAULTS.withMaxLength(9));
  }

  @Test
  void badInputGetsOneLineNamingWhere(@TempDir Path dir) throws Exception {
    TextVectorizer v = TextVectorizer.fit(TextConfig.DEFAULTS, TEXTS);
    int[] out = new int[256];
    assertThatThrownBy(() -> v.encodeNonEmpty("  ?! ", out, 0, "row 7 of column 'text'"))
        .hasMessageStartingWith("row 7 of column 'text': the text has no tokens");
    assertThatThrownBy(() -> v.encodeNonEmpty(null, out, 0, "row 3 of column 'body'"))
        .hasMessage("row 3 of column 'body': the text is missing (null)");
    assertThatThrownBy(() -> v.requireSize(500, "model/text.json"))
        .hasMessage("model/text.json: the text vocabulary has 13 ids but the model's embedding takes 500; "
            + "the vectorizer does not belong to this model");
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"sparkprop-text-vectorizer\", \"version\": 1, \"config\": {}, "
        + "\"vocabulary\": [\"\", \"[UNK]\", \"a\", \"a\"]}");
    assertThatThrownBy(() -> TextVectorizer.load(bad)).isInstanceOf(FileFormatException.class)
        .hasMessage(bad + ": vocabulary entry 3 \"a\" is a duplicate");
    Files.writeString(bad, "{\"format\": \"sparkprop-text-vectorizer\", \"version\": 1, \"config\": {\"split\": "
        + "\"bytes\"}, \"vocabulary\": [\"\", \"[UNK]\"]}");
    assertThatThrownBy(() -> TextVectorizer.load(bad)).hasMessageContaining(bad.toString())
        .hasMessageContaining("\"word\" or \"character\"");
    Files.writeString(bad, "{\"layers\": []}");
    assertThatThrownBy(() -> TextVectorizer.load(bad)).hasMessageContaining("not a sparkprop text vectorizer");
    assertThatThrownBy(() -> TextVectorizer.load(dir.resolve("none.json"))).hasMessageContaining("none.json");
    assertThatThrownBy(() -> new TextConfig(true, "word", "[a-", 1, 10, 5)).hasMessageContaining("regular expression");
  }
}
