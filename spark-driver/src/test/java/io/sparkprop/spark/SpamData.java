package io.sparkprop.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.core.data.DataSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The bundled spam set ({@code data/spam}) as token data, tokenised as the PyTorch reference
 * run: lower case, words {@code [a-z0-9']+}, a vocabulary of the training words seen at least
 * twice (at most 20,000, most frequent first, ties alphabetical), ids 0 = padding and
 * 1 = unknown, the first 256 tokens. A stand-in until the project's TextVectorizer exists.
 */
final class SpamData {
  static final int MAX_TOKENS = 256;
  private static final Pattern WORD = Pattern.compile("[a-z0-9']+");

  /** Training and test sets, and the vocabulary size (ids 0 and 1 included). */
  record Split(DataSet train, DataSet test, int vocabulary) {
  }

  private SpamData() {
  }

  static Split load() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data/spam"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no data/spam folder above " + Path.of("").toAbsolutePath());
    }
    List<List<String>> trainWords = new ArrayList<>();
    List<Integer> trainLabels = new ArrayList<>();
    read(dir.resolve("data/spam/spam-train.jsonl.gz"), trainWords, trainLabels);
    List<List<String>> testWords = new ArrayList<>();
    List<Integer> testLabels = new ArrayList<>();
    read(dir.resolve("data/spam/spam-test.jsonl.gz"), testWords, testLabels);
    Map<String, Integer> counts = new HashMap<>();
    for (List<String> doc : trainWords) {
      for (String w : doc) {
        counts.merge(w, 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> kept = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= 2) {
        kept.add(e);
      }
    }
    kept.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
        : b.getValue() - a.getValue());
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < Math.min(20_000, kept.size()); i++) {
      ids.put(kept.get(i).getKey(), i + 2);
    }
    return new Split(encode(trainWords, trainLabels, ids), encode(testWords, testLabels, ids), ids.size() + 2);
  }

  private static void read(Path file, List<List<String>> words, List<Integer> labels) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        List<String> doc = new ArrayList<>();
        Matcher m = WORD.matcher(n.get("text").asText().toLowerCase(Locale.ROOT));
        while (m.find() && doc.size() < MAX_TOKENS) {
          doc.add(m.group());
        }
        words.add(doc);
        labels.add(n.get("label").asInt());
      }
    }
  }

  private static DataSet encode(List<List<String>> docs, List<Integer> labels, Map<String, Integer> ids) {
    int n = docs.size();
    int[] tokens = new int[n * MAX_TOKENS];
    int[] lengths = new int[n];
    float[] y = new float[n];
    for (int r = 0; r < n; r++) {
      List<String> doc = docs.get(r);
      for (int t = 0; t < doc.size(); t++) {
        tokens[r * MAX_TOKENS + t] = ids.getOrDefault(doc.get(t), 1);
      }
      lengths[r] = Math.max(1, doc.size());
      y[r] = labels.get(r);
    }
    return DataSet.ofTokens(MAX_TOKENS, 1, n, tokens, y, lengths);
  }
}
