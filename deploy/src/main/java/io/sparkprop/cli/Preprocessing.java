package io.sparkprop.cli;

import io.sparkprop.core.data.DataException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark side of {@link io.sparkprop.core.data.Preprocessing} (the description, its
 * {@code preprocessing.json} and the ONNX export live in trainer-core): fitted on the training
 * data with Spark, applied to DataFrames by the executors, saved in the model folder so that
 * {@code evaluate}, {@code predict} and {@code export} use it unchanged. Standardisation
 * {@code x' = (x - mean) / std} per feature (sample standard deviation; a constant feature becomes
 * 0), and a label index for classifiers whose labels are not the integers {@code 0..k-1} (class
 * {@code i} is the {@code i}-th smallest training label; predictions are turned back into those
 * labels), also for string labels (csv and json: class {@code i} is the {@code i}-th in
 * lexicographic order, and predictions are written as those strings). A model folder without the file (saved before) is used as it is.
 *
 * @param spec the fitted description
 */
record Preprocessing(io.sparkprop.core.data.Preprocessing spec) implements Serializable {
  /** File name inside the model folder. */
  static final String FILE = io.sparkprop.core.data.Preprocessing.FILE;
  /** Nothing to do. */
  static final Preprocessing NONE = new Preprocessing(io.sparkprop.core.data.Preprocessing.NONE);

  boolean isNone() {
    return spec.isNone();
  }

  /** Per-feature means, or null (no standardisation). */
  double[] mean() {
    return spec.mean();
  }

  /** Per-feature {@code 1 / std}, or null. */
  double[] scale() {
    return spec.scale();
  }

  /** The original label of each class, or null (labels are class indices or strings). */
  double[] labels() {
    return spec.labels();
  }

  /** True when labels are mapped to class indices (numbers not {@code 0..k-1}, or strings). */
  boolean mapsLabels() {
    return spec.mapsLabels();
  }

  /**
   * The reader option that reads a model's string labels ({@code classLabels}: a JSON array), so
   * that a label the model never saw fails naming the file, line and column; empty otherwise.
   */
  java.util.Map<String, String> readerOptions() {
    if (!spec.stringLabels()) {
      return java.util.Map.of();
    }
    return java.util.Map.of("classLabels", io.sparkprop.core.io.Json.toJson(spec.labelStrings()));
  }

  /**
   * Fits on {@code train} (columns features, label): the statistics when {@code standardize}, the
   * label index when {@code classes} > 0 (a classifier of that many classes) and the labels are
   * not all integers in {@code [0, classes)}.
   *
   * @throws DataException when there are more distinct labels than classes
   */
  static Preprocessing fit(Dataset<Row> train, boolean standardize, int classes) {
    return fit(train, standardize, classes, null);
  }

  /** As above, with the distinct labels of {@code train} when already known (else null: a job finds them). */
  static Preprocessing fit(Dataset<Row> train, boolean standardize, int classes, List<Object> knownLabels) {
    double[] mean = null;
    double[] scale = null;
    if (standardize) {
      Row stats = train.select(Summarizer.metrics("mean", "std").summary(functions.col("features")).as("s"))
          .select("s.mean", "s.std").first();
      mean = ((Vector) stats.get(0)).toArray();
      double[] std = ((Vector) stats.get(1)).toArray();
      scale = new double[std.length];
      for (int i = 0; i < std.length; i++) {
        // n = 1 gives NaN (no spread measured): treat as constant
        scale[i] = std[i] > 0 && Double.isFinite(std[i]) ? 1 / std[i] : 0;
      }
    }
    double[] labels = null;
    boolean strings = train.schema().apply("label").dataType().equals(DataTypes.StringType);
    if (strings) {
      return new Preprocessing(new io.sparkprop.core.data.Preprocessing(mean, scale, null,
          stringLabels(train, classes, knownLabels)));
    }
    if (classes > 0) {
      double[] seen = distinct(train, classes, knownLabels).stream().mapToDouble(v -> (Double) v).sorted().toArray();
      boolean indices = Arrays.stream(seen).allMatch(v -> v >= 0 && v < classes && v == Math.rint(v));
      if (!indices) {
        if (seen.length > classes) {
          throw new DataException("data.train: more than " + classes + " distinct labels (e.g. "
              + Arrays.toString(Arrays.copyOf(seen, Math.min(seen.length, 12))) + ") for a model with " + classes
              + " classes; give the last dense layer as many units as there are labels");
        }
        labels = seen;
      }
    }
    return new Preprocessing(new io.sparkprop.core.data.Preprocessing(mean, scale, labels));
  }

  /**
   * The distinct string labels of {@code train}, sorted by {@link String#compareTo} (class
   * {@code i} is the {@code i}-th): Spark's own string order compares UTF-8 bytes, which differs
   * for some characters, so the sort is done here, on at most {@code classes + 1} values.
   */
  private static String[] stringLabels(Dataset<Row> train, int classes, List<Object> knownLabels) {
    if (classes == 0) {
      List<Row> one = train.select("label").limit(1).collectAsList();
      throw new DataException("data.train: the labels are strings (e.g. '" + (one.isEmpty() ? "" : one.get(0).get(0))
          + "'), which need a classifier loss (softmax_cross_entropy or sigmoid_cross_entropy)");
    }
    String[] seen = distinct(train, classes, knownLabels).stream().map(v -> (String) v).sorted()
        .toArray(String[]::new);
    if (seen.length > classes) {
      throw new DataException("data.train: more than " + classes + " distinct labels (e.g. "
          + Arrays.toString(Arrays.copyOf(seen, Math.min(seen.length, 12))) + ") for a model with " + classes
          + " classes; give the last dense layer as many units as there are labels");
    }
    return seen;
  }

  /** The known labels, else up to {@code classes + 1} distinct labels of {@code train} (one job). */
  private static List<Object> distinct(Dataset<Row> train, int classes, List<Object> known) {
    return known != null ? known
        : train.select("label").distinct().limit(classes + 1).collectAsList().stream().map(r -> r.get(0)).toList();
  }

  /** {@code df} with features standardised and labels indexed (sample weights kept), computed by the executors. */
  Dataset<Row> apply(Dataset<Row> df, String source) {
    if (df == null || isNone()) {
      return df;
    }
    Preprocessing p = this;
    boolean weighted = Inputs.weighted(df);
    Dataset<Row> in = weighted ? df.select("features", "label", Inputs.WEIGHT) : df.select("features", "label");
    var rows = in.javaRDD().map((Function<Row, Row>) r -> {
      // token ids (text models) are never standardised and pass through as they are
      Object x = p.mean() == null ? r.get(0) : p.features((Vector) r.get(0));
      double y = r.get(1) instanceof String s ? p.spec().index(s, source) : p.index(r.getDouble(1), source);
      return weighted ? RowFactory.create(x, y, r.get(2)) : RowFactory.create(x, y);
    });
    // labels are class indices (doubles) from here on, whatever the reader gave
    StructType schema = in.schema();
    StructField label = DataTypes.createStructField("label", DataTypes.DoubleType, schema.apply("label").nullable());
    schema = weighted ? new StructType(new StructField[] {schema.apply("features"), label, schema.apply(Inputs.WEIGHT)})
        : new StructType(new StructField[] {schema.apply("features"), label});
    return df.sparkSession().createDataFrame(rows, schema);
  }

  /** Standardised features (as given when there is no standardisation). */
  Vector features(Vector v) {
    double[] mean = spec.mean();
    if (mean == null) {
      return v;
    }
    if (v.size() != mean.length) {
      throw new DataException("a sample has " + v.size() + " features but the model's standardisation was fitted on "
          + mean.length);
    }
    double[] scale = spec.scale();
    double[] x = v.toArray();
    for (int i = 0; i < x.length; i++) {
      x[i] = (x[i] - mean[i]) * scale[i];
    }
    return Vectors.dense(x);
  }

  /** The class index of an original label. */
  double index(double label, String source) {
    return spec.index(label, source);
  }

  /** The original label of class {@code c}. */
  double label(int c) {
    return spec.label(c);
  }

  /** Writes {@code preprocessing.json} into {@code modelDir} (nothing when there is nothing to do). */
  void save(Path modelDir) throws IOException {
    spec.save(modelDir);
  }

  /** The preprocessing saved in {@code modelDir}, or {@link #NONE} for a model saved without one. */
  static Preprocessing load(Path modelDir) throws IOException {
    return new Preprocessing(io.sparkprop.core.data.Preprocessing.load(modelDir));
  }
}
