package io.sparkprop.ml.text;

import static org.apache.spark.sql.functions.col;

import io.sparkprop.core.text.TextConfig;
import io.sparkprop.core.text.TextVectorizer;
import io.sparkprop.core.text.Tokenizer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The vocabulary of a text column counted with Spark, for data too big for one JVM. It is exactly
 * the vocabulary {@link TextVectorizer#fit} gives on the same texts: Spark counts the tokens,
 * finds the count {@code c} of the last entry that fits in {@code maxTokens − 2}, and only the
 * tokens counted at least {@code max(c, minCount)} times travel to the driver, where
 * {@link TextVectorizer#fromCounts} breaks the ties.
 */
public final class SparkTextVocabulary {
  private SparkTextVocabulary() {
  }

  /** The vectorizer of {@code column} of {@code data} (null texts are skipped). */
  public static TextVectorizer fit(Dataset<?> data, String column, TextConfig config) {
    requireStringColumn(data.schema(), column);
    Dataset<String> texts = data.select(col(column)).where(col(column).isNotNull()).as(Encoders.STRING());
    Dataset<Row> counts = texts.mapPartitions(tokens(config), Encoders.STRING())
        .groupBy("value").count().where(col("count").geq(config.minCount())).cache();
    try {
      int keep = config.maxTokens() - TextVectorizer.RESERVED.size();
      Row last = counts.orderBy(col("count").desc()).limit(keep).agg(functions.min("count")).first();
      long threshold = last.isNullAt(0) ? Long.MAX_VALUE : last.getLong(0);
      Map<String, Long> kept = new HashMap<>();
      for (Row r : counts.where(col("count").geq(threshold)).collectAsList()) {
        kept.put(r.getString(0), r.getLong(1));
      }
      return TextVectorizer.fromCounts(config, kept);
    } finally {
      counts.unpersist();
    }
  }

  /** Fails with one line unless {@code column} exists and holds strings. */
  static void requireStringColumn(StructType schema, String column) {
    StructField f = null;
    for (StructField s : schema.fields()) {
      if (s.name().equals(column)) {
        f = s;
      }
    }
    if (f == null) {
      throw new IllegalArgumentException("text column '" + column + "' does not exist; the columns are "
          + String.join(", ", schema.fieldNames()));
    }
    DataType t = f.dataType();
    if (!t.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("text column '" + column + "' must hold strings, it holds "
          + t.simpleString());
    }
  }

  /** Every token of every text of a partition, lazily, one tokenizer per partition. */
  private static MapPartitionsFunction<String, String> tokens(TextConfig config) {
    return texts -> new Iterator<>() {
      private final Tokenizer tokenizer = new Tokenizer(config);
      private final ArrayDeque<String> pending = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (pending.isEmpty() && texts.hasNext()) {
          tokenizer.forEach(texts.next(), Integer.MAX_VALUE, pending::add);
        }
        return !pending.isEmpty();
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.poll();
      }
    };
  }
}
