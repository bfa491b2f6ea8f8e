package io.sparkprop.spark;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Local sessions (a class gets one through {@link LocalSpark}) and data sets with exactly chosen
 * partitions.
 */
public final class SparkTestSupport {
  /** features: ml vector, label: double. */
  public static final StructType SCHEMA = new StructType().add("features", SQLDataTypes.VectorType())
      .add("label", DataTypes.DoubleType);

  /** features: array of int token ids, label: double. */
  public static final StructType TOKEN_SCHEMA = new StructType()
      .add("features", DataTypes.createArrayType(DataTypes.IntegerType, false))
      .add("label", DataTypes.DoubleType);

  private SparkTestSupport() {
  }

  /** A fresh local[2] session without UI, with few shuffle partitions, logging warnings only. */
  public static SparkSession session(String name) {
    return session(name, "local[2]");
  }

  /**
   * As {@link #session(String)} with another master, e.g. {@code local[6]} for six task slots, and
   * further settings (key, value, ...) that win over those defaults.
   */
  public static SparkSession session(String name, String master, String... settings) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
    if (settings.length % 2 != 0) {
      throw new IllegalArgumentException("settings come as key, value pairs: " + String.join(", ", settings));
    }
    for (int i = 0; i < settings.length; i += 2) {
      b.config(settings[i], settings[i + 1]);
    }
    SparkSession s = b.getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  /** Three Gaussian blobs in 2-D around (0,3), (3,0), (-3,-3), std 1 (as core's TrainerTest). */
  public static DataSet blobs(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 2];
    float[] y = new float[n];
    float[][] centres = {{0, 3}, {3, 0}, {-3, -3}};
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(3);
      x[2 * i] = centres[c][0] + (float) rng.nextGaussian();
      x[2 * i + 1] = centres[c][1] + (float) rng.nextGaussian();
      y[i] = c;
    }
    return new DataSet(Shape.of(2), 1, n, x, y);
  }

  /**
   * {@code n} token sequences of length {@code steps} over ids {@code [1, vocab)}, each padded
   * with zeros after a random length in {@code [1, steps]}; the label (2 classes) says whether
   * id 1 or id 2 occurs more often.
   */
  public static DataSet tokens(int n, int steps, int vocab, long seed) {
    Rng rng = new Rng(seed);
    int[] ids = new int[n * steps];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int len = 1 + rng.nextInt(steps);
      int score = 0;
      for (int t = 0; t < len; t++) {
        int id = 1 + rng.nextInt(vocab - 1);
        ids[i * steps + t] = id;
        score += id == 1 ? 1 : id == 2 ? -1 : 0;
      }
      y[i] = score > 0 ? 1 : 0;
    }
    return DataSet.ofTokens(steps, 1, n, ids, y, null);
  }

  /** Row {@code i} of {@code d}: features as a dense vector, the (scalar) label as a double. */
  public static Row row(DataSet d, int i) {
    int f = d.featureSize();
    if (d.isTokens()) {
      Integer[] ids = new Integer[f];
      for (int j = 0; j < f; j++) {
        ids[j] = d.tokens()[i * f + j];
      }
      return RowFactory.create(ids, (double) d.labels()[i]);
    }
    double[] v = new double[f];
    for (int j = 0; j < f; j++) {
      v[j] = d.features()[i * f + j];
    }
    return RowFactory.create(Vectors.dense(v), (double) d.labels()[i]);
  }

  /**
   * The samples of {@code d} as a data frame whose partition {@code p} holds, in order, the next
   * {@code sizes[p]} samples (sizes may be 0).
   */
  public static Dataset<Row> frame(SparkSession spark, DataSet d, int... sizes) {
    return spark.createDataFrame(rows(spark, d, sizes), d.isTokens() ? TOKEN_SCHEMA : SCHEMA);
  }

  /** As {@link #frame}, as an RDD of rows. */
  public static JavaRDD<Row> rows(SparkSession spark, DataSet d, int... sizes) {
    List<List<Row>> groups = new ArrayList<>();
    int at = 0;
    for (int s : sizes) {
      List<Row> g = new ArrayList<>();
      for (int i = 0; i < s; i++) {
        g.add(row(d, at + i));
      }
      groups.add(g);
      at += s;
    }
    if (at != d.size()) {
      throw new IllegalArgumentException("sizes add up to " + at + ", the data has " + d.size());
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return jsc.parallelize(groups, sizes.length).flatMap(List::iterator);
  }

  /** Sizes of {@code parts} near-equal contiguous parts of {@code n}. */
  public static int[] even(int n, int parts) {
    int[] s = new int[parts];
    for (int p = 0; p < parts; p++) {
      s[p] = (int) ((long) (p + 1) * n / parts - (long) p * n / parts);
    }
    return s;
  }

  /** Samples {@code [from, from + sizes[p])} of {@code d} for each partition, as blocks. */
  public static DataSet[] split(DataSet d, int... sizes) {
    DataSet[] out = new DataSet[sizes.length];
    int at = 0;
    for (int p = 0; p < sizes.length; p++) {
      out[p] = d.slice(at, at + sizes[p]);
      at += sizes[p];
    }
    return out;
  }
}
