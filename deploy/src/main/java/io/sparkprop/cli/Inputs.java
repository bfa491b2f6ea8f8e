package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.DataSource;
import io.sparkprop.cli.config.DataSpec;
import io.sparkprop.cli.config.TextSpec;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.text.TextVectorizer;
import io.sparkprop.ml.data.DataSources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data a config names, as DataFrames of {@code features} (vector) and {@code label}
 * (double) read by the executors through {@link DataSources}: nothing is collected to the
 * driver, which sees only schemas and counts (the single-JVM backend collects, explicitly).
 */
final class Inputs {
  /** The label column of every frame. */
  static final String LABEL = DataSources.LABEL;
  /** The optional sample-weight column of the training frame ({@code data.weightCol}, class weights). */
  static final String WEIGHT = DataSources.WEIGHT;

  private Inputs() {
  }

  /** Whether {@code df} has the sample-weight column. */
  static boolean weighted(Dataset<Row> df) {
    return df != null && java.util.Arrays.asList(df.columns()).contains(WEIGHT);
  }

  /**
   * The frames of a run; validation and test may be null. With a {@code text} section the frames
   * hold token ids and {@code text} is the vectorizer fitted on the training texts (else null).
   * {@code split} is the validation split that made train and validation (its labels and whether
   * it left training rows, known without another job), or null.
   */
  record Frames(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, String validationFrom,
                TextVectorizer text, ValidationSplit.Parts split) {
    Frames(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, String validationFrom) {
      this(train, validation, test, validationFrom, null, null);
    }

    /** These frames with other test data. */
    Frames withTest(Dataset<Row> t) {
      return new Frames(train, validation, t, validationFrom, text, split);
    }
  }

  /** One source of the config as a DataFrame ({@code key}: "data.train"), at most {@code data.limit} rows. */
  static Dataset<Row> read(SparkSession spark, ConfigLoader.Loaded c, DataSource src, String key, int numClasses) {
    return read(spark, c, src, key, numClasses, Map.of());
  }

  /** As {@link #read(SparkSession, ConfigLoader.Loaded, DataSource, String, int)} with more reader options. */
  static Dataset<Row> read(SparkSession spark, ConfigLoader.Loaded c, DataSource src, String key, int numClasses,
                           Map<String, String> extra) {
    return read(spark, c, src, key, numClasses, extra, false);
  }

  /**
   * As above; with {@code weights} the frame keeps the column {@link #WEIGHT} of
   * {@code data.weightCol} (required). Without, that column is never a feature, may be absent and
   * is dropped: validation, test, evaluate and predict are unweighted.
   */
  private static Dataset<Row> read(SparkSession spark, ConfigLoader.Loaded c, DataSource src, String key,
                                   int numClasses, Map<String, String> extra, boolean weights) {
    DataSpec d = c.config().data();
    DataSource.Location loc = src.locate(c.paths(), key, d.features());
    Map<String, String> o = new HashMap<>(loc.options());
    if (!extra.isEmpty() && !List.of("libsvm", "idx").contains(src.format()) && c.config().text() == null) {
      // string labels are read by csv, json and parquet; libsvm and idx fail on them as before
      o.putAll(extra);
    }
    if (d.weightCol() != null) {
      o.put("weightCol", d.weightCol());
      if (!weights) {
        o.put("weightOptional", "true");
      }
    }
    TextSpec text = c.config().text();
    if (text != null) {
      if (!List.of("json", "parquet", "csv").contains(src.format())) {
        throw new ConfigException(key + ": texts are read from json (JSON lines), parquet or csv data, not "
            + src.format());
      }
      if (o.containsKey("featuresCol") || o.containsKey("features")) {
        throw new ConfigException(key + ": with a text section the input is the text column '" + text.column()
            + "'; remove the features settings");
      }
      o.put("textCol", text.column());
    }
    if (numClasses > 0) {
      o.put("numClasses", Integer.toString(numClasses));
    }
    Dataset<Row> df;
    try {
      df = DataSources.load(spark, src.format(), loc.path(), o);
    } catch (DataException e) {
      throw new DataException(key + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
    if (!weights && weighted(df)) {
      df = df.drop(WEIGHT);
    }
    return d.limit() > 0 ? df.limit(d.limit()) : df;
  }

  /** As {@link #read}, the texts turned into token ids by {@code text} when not null. */
  static Dataset<Row> read(SparkSession spark, ConfigLoader.Loaded c, DataSource src, String key, int numClasses,
                           TextVectorizer text) {
    return read(spark, c, src, key, numClasses, text, Map.of());
  }

  /** As above, with more reader options (e.g. a model's string labels: {@link Preprocessing#readerOptions}). */
  static Dataset<Row> read(SparkSession spark, ConfigLoader.Loaded c, DataSource src, String key, int numClasses,
                           TextVectorizer text, Map<String, String> extra) {
    Dataset<Row> df = read(spark, c, src, key, numClasses, extra);
    return text == null ? df : TextInputs.ids(df, text, c.config().text().column(), key);
  }

  /**
   * The training and test data and the validation data: {@code data.validation}, else a seeded
   * {@code validationSplit} of the training rows ({@link ValidationSplit}, stratified by label
   * for a classifier), else none. The test data is never used for validation. With a text
   * section the vocabulary is counted on the training rows (after the split) and every frame
   * becomes token ids.
   */
  static Frames load(SparkSession spark, ConfigLoader.Loaded c, boolean classifier) {
    Frames raw = loadRows(spark, c, classifier);
    TextSpec spec = c.config().text();
    if (spec == null) {
      return raw;
    }
    TextVectorizer v = TextInputs.fit(raw.train(), spec);
    return new Frames(TextInputs.ids(raw.train(), v, spec.column(), "data.train"),
        TextInputs.ids(raw.validation(), v, spec.column(), "validation data"),
        TextInputs.ids(raw.test(), v, spec.column(), "data.test"), raw.validationFrom(), v, raw.split());
  }

  private static Frames loadRows(SparkSession spark, ConfigLoader.Loaded c, boolean classifier) {
    DataSpec d = c.config().data();
    Dataset<Row> train = read(spark, c, d.train(), "data.train", 0, Map.of(), true);
    Dataset<Row> test = d.test() == null ? null : read(spark, c, d.test(), "data.test", 0);
    if (d.validation() != null) {
      return new Frames(train, read(spark, c, d.validation(), "data.validation", 0), test, "data.validation");
    }
    if (d.validationSplit() > 0) {
      long seed = c.config().training().seed();
      ValidationSplit.Parts parts = ValidationSplit.split(train, d.validationSplit(), seed, classifier);
      if (parts.validation() == null) {
        return new Frames(train, null, test, null, null, parts); // too few rows: "no validation"
      }
      // validation metrics are unweighted, as for a data.validation source
      Dataset<Row> validation = weighted(parts.validation()) ? parts.validation().drop(WEIGHT) : parts.validation();
      return new Frames(parts.train(), validation, test, String.format(java.util.Locale.ROOT,
          "%s%s of the training data (seed %d)", percent(d.validationSplit()), classifier ? " per class" : "", seed),
          null, parts);
    }
    return new Frames(train, null, test, null);
  }

  /**
   * Reads every row of {@code df} once on the executors, so that a bad row (a cell that is not a
   * number, a label outside the classes) is reported now rather than after training.
   */
  static void scan(Dataset<Row> df, String source) {
    try {
      df.javaRDD().foreachPartition(rows -> {
        while (rows.hasNext()) {
          rows.next();
        }
      });
    } catch (RuntimeException e) {
      throw io.sparkprop.spark.train.SparkTraining.unwrap(e, source);
    }
  }

  /** "10%", "12.5%". */
  private static String percent(double f) {
    return java.math.BigDecimal.valueOf(f).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  /** The test data (or the training data for split "train" or when the config has none). */
  static Dataset<Row> loadTest(SparkSession spark, ConfigLoader.Loaded c, String split) {
    DataSpec d = c.config().data();
    if (split.equals("train") || d.test() == null) {
      return read(spark, c, d.train(), "data.train", 0);
    }
    return read(spark, c, d.test(), "data.test", 0);
  }

  /** Values per sample: from the schema when the reader knows it, else from the first row. */
  static int featureSize(Dataset<Row> df, String source) {
    int n = AttributeGroup.fromStructField(df.schema().apply(DataSources.FEATURES)).size();
    if (n > 0) {
      return n;
    }
    List<Row> first = df.select(DataSources.FEATURES).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new DataException(source + ": the data set is empty");
    }
    return ((Vector) first.get(0).get(0)).size();
  }

  private static float[] weights(List<Row> rows) {
    float[] w = new float[rows.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rows.get(i).getDouble(2);
    }
    return w;
  }

  /** Token-id rows (as {@link TextInputs#ids} writes them) as one data set of sequences. */
  private static DataSet collectIds(List<Row> rows, int f, String source) {
    int[] ids = new int[rows.size() * f];
    float[] y = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      List<Object> v = rows.get(i).getList(0);
      if (v.size() != f) {
        throw new DataException(source + ", row " + i + ": " + v.size() + " token ids, expected " + f);
      }
      for (int j = 0; j < f; j++) {
        ids[i * f + j] = ((Number) v.get(j)).intValue();
      }
      y[i] = (float) rows.get(i).getDouble(1);
    }
    return DataSet.ofTokens(f, 1, rows.size(), ids, y, null);
  }

  /** Collects {@code df} into one data set of samples shaped {@code shape} (single-JVM use only). */
  static DataSet collect(Dataset<Row> df, Shape shape, String source) {
    if (df == null) {
      return null;
    }
    boolean weighted = weighted(df);
    List<Row> rows = (weighted ? df.select(DataSources.FEATURES, DataSources.LABEL, WEIGHT)
        : df.select(DataSources.FEATURES, DataSources.LABEL)).collectAsList();
    if (rows.isEmpty()) {
      throw new DataException(source + ": the data set is empty");
    }
    int f = shape.size();
    if (df.schema().apply(DataSources.FEATURES).dataType() instanceof org.apache.spark.sql.types.ArrayType) {
      DataSet ids = collectIds(rows, f, source);
      return weighted ? ids.withWeights(weights(rows)) : ids;
    }
    float[] x = new float[rows.size() * f];
    float[] y = new float[rows.size()];
    float[] w = weighted ? new float[rows.size()] : null;
    for (int i = 0; i < rows.size(); i++) {
      if (weighted) {
        w[i] = (float) rows.get(i).getDouble(2);
      }
      Vector v = (Vector) rows.get(i).get(0);
      if (v.size() != f) {
        throw new DataException(source + ", row " + i + ": " + v.size() + " features, expected " + f);
      }
      for (int j = 0; j < f; j++) {
        x[i * f + j] = (float) v.apply(j);
      }
      y[i] = (float) rows.get(i).getDouble(1);
    }
    return new DataSet(shape, 1, rows.size(), x, y, w);
  }
}
