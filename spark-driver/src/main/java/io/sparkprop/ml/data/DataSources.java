package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Loads training data from any Hadoop file system path ({@code file:}, {@code hdfs:},
 * {@code s3a:} when configured; a path without a scheme uses {@code fs.defaultFS}) into a
 * DataFrame with the columns {@code features} (an ML vector) and {@code label} (double), the
 * input of the estimators and of the CLI.
 *
 * <table>
 *   <caption>Formats and their options</caption>
 *   <tr><th>format</th><th>path</th><th>options</th></tr>
 *   <tr><td>{@code libsvm}</td><td>file, folder or glob</td><td>{@code numFeatures} (else Spark scans
 *       for the largest index); rows are sparse vectors</td></tr>
 *   <tr><td>{@code csv}</td><td>file, folder or glob (gzip etc. by extension)</td><td>{@code header}
 *       (true/false, default false), {@code label} (column name with a header, else 0-based index;
 *       default the column named "label", else the first), {@code sep} (default ","); every
 *       other column is a feature</td></tr>
 *   <tr><td>{@code parquet}</td><td>file or folder</td><td>{@code featuresCol} (default
 *       "features": a vector or an array of numbers), {@code labelCol} (default "label": a
 *       number)</td></tr>
 *   <tr><td>{@code idx}</td><td>the images file (plain or gzip)</td><td>{@code labels} (the labels
 *       file, required); features are pixel/255</td></tr>
 * </table>
 *
 * Every format also takes {@code numClasses} (labels must then be integers in
 * {@code [0, numClasses)}) and {@code numFeatures} (every features vector must have that many
 * values). Unknown options are errors. Problems are reported as {@link DataException}s naming
 * the file, the line or row and the column: missing columns and unreadable headers when
 * {@code load} is called, bad cells when the rows are read (inside the Spark job that reads
 * them, e.g. fit). Sparse vectors are kept sparse here; training densifies them per block.
 */
public final class DataSources {
  /** The features column of every loaded DataFrame. */
  public static final String FEATURES = "features";
  /** The label column of every loaded DataFrame. */
  public static final String LABEL = "label";
  /** The formats {@link #load} reads. */
  public static final List<String> FORMATS = List.of("libsvm", "csv", "parquet", "idx");

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "libsvm", Set.of("numFeatures", "numClasses"),
      "csv", Set.of("header", "label", "sep", "numFeatures", "numClasses"),
      "parquet", Set.of("featuresCol", "labelCol", "numFeatures", "numClasses"),
      "idx", Set.of("labels", "numFeatures", "numClasses"));

  private DataSources() {
  }

  /**
   * Loads {@code path} in {@code format} ({@link #FORMATS}) with {@code options} (may be null or
   * empty) as a DataFrame of {@code features} and {@code label}.
   *
   * @throws IllegalArgumentException for an unknown format or option, or a bad option value
   * @throws DataException when the data cannot be used (missing file or column, bad header, ...)
   */
  public static Dataset<Row> load(SparkSession spark, String format, String path, Map<String, String> options) {
    String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
    Set<String> known = OPTIONS.get(f);
    if (known == null) {
      throw new IllegalArgumentException("unknown data format '" + format + "'; expected one of " + FORMATS);
    }
    Map<String, String> o = options == null ? Map.of() : new HashMap<>(options);
    for (String k : o.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(f + " data " + path + ": unknown option '" + k + "'; expected one of "
            + new TreeSet<>(known));
      }
    }
    int numClasses = positive(o, "numClasses", path);
    int numFeatures = positive(o, "numFeatures", path);
    return switch (f) {
      case "libsvm" -> libsvm(spark, path, numFeatures, numClasses);
      case "csv" -> CsvReader.load(spark, path, o, numFeatures, numClasses);
      case "parquet" -> parquet(spark, path, o.getOrDefault("featuresCol", FEATURES),
          o.getOrDefault("labelCol", LABEL), numFeatures, numClasses);
      default -> idx(spark, path, o.get("labels"), numFeatures, numClasses);
    };
  }

  /** The schema of loaded data, with the features' size in the ML attributes when known (&gt; 0). */
  static StructType schema(int numFeatures) {
    StructField features = numFeatures > 0 ? new AttributeGroup(FEATURES, numFeatures).toStructField()
        : DataTypes.createStructField(FEATURES, new org.apache.spark.ml.linalg.VectorUDT(), false);
    return new StructType(new StructField[] {features, DataTypes.createStructField(LABEL, DataTypes.DoubleType,
        false)});
  }

  private static int positive(Map<String, String> o, String key, String path) {
    String v = o.get(key);
    if (v == null) {
      return -1;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("data " + path + ": option " + key + " must be a positive integer, got '"
        + v + "'");
  }

  private static Dataset<Row> libsvm(SparkSession spark, String path, int numFeatures, int numClasses) {
    var reader = spark.read().format("libsvm");
    if (numFeatures > 0) {
      reader = reader.option("numFeatures", numFeatures);
    }
    Dataset<Row> df;
    try {
      df = reader.load(path);
    } catch (RuntimeException e) {
      throw new DataException("libsvm data " + path + ": " + e.getMessage(), e);
    }
    JavaRDD<Row> rows = df.select(functions.col("features"), functions.col("label"),
            functions.col("_metadata.file_path"))
        .javaRDD().mapPartitions(new RowChecks(FEATURES, LABEL, false, -1, numClasses));
    return spark.createDataFrame(rows, schema(numFeatures));
  }

  private static Dataset<Row> parquet(SparkSession spark, String path, String featuresCol, String labelCol,
                                      int numFeatures, int numClasses) {
    Dataset<Row> df;
    try {
      df = spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw new DataException("parquet data " + path + ": " + e.getMessage(), e);
    }
    List<String> cols = Arrays.asList(df.columns());
    for (String c : new String[] {featuresCol, labelCol}) {
      if (!cols.contains(c)) {
        throw new DataException("parquet data " + path + ": there is no column '" + c + "'; the columns are " + cols
            + " (set the featuresCol/labelCol options)");
      }
    }
    DataType ft = df.schema().apply(featuresCol).dataType();
    boolean vector = ft instanceof org.apache.spark.ml.linalg.VectorUDT;
    if (!vector && !(ft instanceof ArrayType a && a.elementType() instanceof NumericType)) {
      throw new DataException("parquet data " + path + ": column '" + featuresCol + "' is " + ft.simpleString()
          + ", expected a vector or an array of numbers");
    }
    DataType lt = df.schema().apply(labelCol).dataType();
    if (!(lt instanceof NumericType)) {
      throw new DataException("parquet data " + path + ": column '" + labelCol + "' is " + lt.simpleString()
          + ", expected a number");
    }
    JavaRDD<Row> rows = df.select(functions.col(quote(featuresCol)), functions.col(quote(labelCol)).cast("double"),
            functions.col("_metadata.file_path"), functions.col("_metadata.row_index"))
        .javaRDD().mapPartitions(new RowChecks(featuresCol, labelCol, true, numFeatures, numClasses));
    return spark.createDataFrame(rows, schema(numFeatures));
  }

  private static Dataset<Row> idx(SparkSession spark, String images, String labels, int numFeatures,
                                  int numClasses) {
    if (labels == null) {
      throw new IllegalArgumentException("idx data " + images + ": the option 'labels' (path of the labels file) "
          + "is required");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    DataSet d;
    try {
      d = IdxReader.dataSet(readIdx(conf, images), readIdx(conf, labels), false);
    } catch (IOException e) {
      throw new UncheckedIOException("idx data " + images + ": " + e.getMessage(), e);
    }
    if (numFeatures > 0 && d.featureSize() != numFeatures) {
      throw new DataException("idx data " + images + ": images have " + d.featureSize() + " pixels, expected "
          + numFeatures + " (numFeatures)");
    }
    for (int i = 0; i < d.size() && numClasses > 0; i++) {
      String bad = RowChecks.checkClass(d.labels()[i], numClasses);
      if (bad != null) {
        throw new DataException("idx data " + labels + ", item " + i + ": " + bad);
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int parts = Math.max(1, Math.min(jsc.defaultParallelism(), d.size()));
    List<Chunk> chunks = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      DataSet s = d.slice((int) ((long) p * d.size() / parts), (int) ((long) (p + 1) * d.size() / parts));
      chunks.add(new Chunk(s.size(), s.featureSize(), s.features(), s.labels()));
    }
    JavaRDD<Row> rows = jsc.parallelize(chunks, parts).flatMap(c -> {
      List<Row> out = new ArrayList<>(c.size());
      int f = c.featureSize();
      for (int i = 0; i < c.size(); i++) {
        double[] v = new double[f];
        for (int j = 0; j < f; j++) {
          v[j] = c.features()[i * f + j];
        }
        out.add(RowFactory.create(Vectors.dense(v), (double) c.labels()[i]));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, schema(d.featureSize()));
  }

  private static IdxReader.Idx readIdx(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    try (FSDataInputStream raw = fs.open(p); InputStream in = new BufferedInputStream(raw, 1 << 16)) {
      return IdxReader.read(in, path);
    }
  }

  /** A slice of IDX samples shipped to the executors (Shape, inside DataSet, is not Serializable). */
  private record Chunk(int size, int featureSize, float[] features, float[] labels) implements java.io.Serializable {
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
