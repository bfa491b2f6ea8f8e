package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import io.sparkprop.spark.data.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
 *       default the column named "label", else the first), {@code sep} (default ","),
 *       {@code features} (comma-separated columns; default every other column)</td></tr>
 *   <tr><td>{@code parquet}</td><td>file or folder</td><td>{@code labelCol} (default "label": a
 *       number); the features are the column {@code featuresCol} (default "features": a vector or
 *       an array of numbers), or the number columns of {@code features} (comma-separated), or
 *       when neither is there every number column but the label</td></tr>
 *   <tr><td>{@code json}</td><td>JSON lines: file, folder or glob</td><td>{@code labelCol},
 *       {@code featuresCol} (an array key), {@code features}: as for parquet</td></tr>
 *   <tr><td>{@code idx}</td><td>the images file (plain or gzip)</td><td>{@code labels} (the labels
 *       file, required); features are pixel/255; read by the executors</td></tr>
 * </table>
 *
 * csv (with a header), JSON lines and Parquet also take {@code textCol}: the rows are then
 * labelled texts, a DataFrame of {@code text} (string) and {@code label}, for a text vectorizer (the
 * CLI's {@code text} section, or {@link io.sparkprop.ml.text.TextVectorizer}) to turn into token
 * ids. csv texts are read by Spark's csv reader ({@code multiLine}: a quoted cell may hold the
 * separator, line breaks and doubled quotes {@code ""}).
 *
 * <p>Sample weights (csv, json, parquet): {@code weightCol} names a number column (a csv column by
 * name with a header, else by 0-based index) that is never a feature; the DataFrame gets a third
 * column {@code weight} (double), and a weight that is missing, not a number, NaN, infinite or
 * negative is an error naming the file, line or row and column. With {@code weightOptional=true}
 * a source without that column reads without weights (and still never takes it as a feature).
 *
 * <p>String labels (csv, json, parquet): when the label of the first row is not a number (a csv
 * cell such as {@code spam}, a JSON string), or the Parquet label column is a string column,
 * every label is read as a string and the {@code label} column is a string column, for
 * {@code io.sparkprop.cli}'s label index (or a StringIndexer) to turn into class indices. The {@code classLabels} option (a JSON array of strings, e.g. the
 * labels of a trained model) reads string labels whatever the first row holds and makes a label
 * outside the array an error naming the file, line and column.
 *
 * Every format also takes {@code numClasses} (number labels must then be integers in
 * {@code [0, numClasses)}) and {@code numFeatures} (every features vector must have that many
 * values). Unknown options are errors. Problems are reported as {@link DataException}s naming
 * the file, the line or row and the column: missing columns and unreadable headers when
 * {@code load} is called, bad cells when the rows are read (inside the Spark job that reads
 * them, e.g. fit). A path with nothing there, or only empty files, fails in {@code load}.
 * LIBSVM rows are sparse vectors; training densifies them per block. Every format is read by
 * the executors (the driver reads only headers, first lines and schemas).
 */
public final class DataSources {
  /** The features column of every loaded DataFrame. */
  public static final String FEATURES = "features";
  /** The label column of every loaded DataFrame. */
  public static final String LABEL = "label";
  /** The text column of data loaded with the {@code textCol} option (instead of features). */
  public static final String TEXT = "text";
  /** The formats {@link #load} reads. */
  public static final List<String> FORMATS = List.of("libsvm", "csv", "parquet", "json", "idx");

  /** The sample-weight column of data loaded with the {@code weightCol} option. */
  public static final String WEIGHT = "weight";

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "libsvm", Set.of("numFeatures", "numClasses"),
      "csv", Set.of("header", "label", "sep", "features", "numFeatures", "numClasses", "classLabels", "textCol",
          "weightCol", "weightOptional"),
      "parquet", Set.of("featuresCol", "labelCol", "features", "numFeatures", "numClasses", "textCol", "classLabels",
          "weightCol", "weightOptional"),
      "json", Set.of("featuresCol", "labelCol", "features", "numFeatures", "numClasses", "textCol", "classLabels",
          "weightCol", "weightOptional"),
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
    if (o.get("textCol") != null) {
      for (String k : List.of("featuresCol", "features", "numFeatures")) {
        if (o.containsKey(k)) {
          throw new IllegalArgumentException(f + " data " + path + ": option '" + k + "' does not go with 'textCol' "
              + "(the text is the input)");
        }
      }
      return switch (f) {
        case "json" -> TextRows.json(spark, path, o, numClasses);
        case "csv" -> TextRows.csv(spark, path, o, numClasses);
        default -> TextRows.parquet(spark, path, o, numClasses);
      };
    }
    return switch (f) {
      case "libsvm" -> LibsvmReader.load(spark, path, numFeatures, numClasses);
      case "csv" -> CsvReader.load(spark, path, o, numFeatures, numClasses);
      case "json" -> JsonLinesReader.load(spark, path, o, numFeatures, numClasses);
      case "parquet" -> parquet(spark, path, o, numFeatures, numClasses);
      default -> {
        if (o.get("labels") == null) {
          throw new IllegalArgumentException("idx data " + path + ": the option 'labels' (path of the labels file) "
              + "is required");
        }
        yield IdxRows.load(spark, path, o.get("labels"), numFeatures, numClasses);
      }
    };
  }

  /** The schema of loaded data, with the features' size in the ML attributes when known (&gt; 0). */
  static StructType schema(int numFeatures) {
    return schema(numFeatures, false);
  }

  /** As {@link #schema(int)}, the label a string column when {@code stringLabels}. */
  static StructType schema(int numFeatures, boolean stringLabels) {
    return schema(numFeatures, stringLabels, false);
  }

  /** As {@link #schema(int, boolean)}, with the column {@link #WEIGHT} when {@code weighted}. */
  static StructType schema(int numFeatures, boolean stringLabels, boolean weighted) {
    StructField features = numFeatures > 0 ? new AttributeGroup(FEATURES, numFeatures).toStructField()
        : DataTypes.createStructField(FEATURES, new org.apache.spark.ml.linalg.VectorUDT(), false);
    StructType t = new StructType(new StructField[] {features, DataTypes.createStructField(LABEL,
        stringLabels ? DataTypes.StringType : DataTypes.DoubleType, false)});
    return weighted ? t.add(WEIGHT, DataTypes.DoubleType, false) : t;
  }

  /**
   * The weight column of a source with named columns {@code cols} ({@code weightCol}), null when
   * there is none or it is optional and absent; a required one that is missing is an error.
   */
  static String weightColumn(Map<String, String> o, java.util.Collection<String> cols, String what,
                             String label) {
    String w = o.get("weightCol");
    if (w == null || (!cols.contains(w) && "true".equalsIgnoreCase(o.get("weightOptional")))) {
      return null;
    }
    if (!cols.contains(w)) {
      throw new DataException(what + ": there is no weight column '" + w + "' (weightCol); the columns are " + cols);
    }
    if (w.equals(label)) {
      throw new DataException(what + ": the weight column '" + w + "' is the label column");
    }
    return w;
  }

  /** The Parquet data at {@code path} (files listed first: a missing path fails naming it). */
  static Dataset<Row> readParquet(SparkSession spark, String path) {
    TextLines.files(spark.sparkContext().hadoopConfiguration(), path, "parquet data");
    try {
      return spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw new DataException("parquet data " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@link #weightColumn} of the Parquet frame {@code df}, which must hold numbers. */
  static String parquetWeightColumn(Dataset<Row> df, String path, Map<String, String> o, String label) {
    String weight = weightColumn(o, Arrays.asList(df.columns()), "parquet data " + path, label);
    if (weight != null && !(df.schema().apply(weight).dataType() instanceof NumericType)) {
      throw new DataException("parquet data " + path + ": column '" + weight + "' is "
          + df.schema().apply(weight).dataType().simpleString() + ", expected a number (the sample weight)");
    }
    return weight;
  }

  /**
   * The {@code classLabels} option (a JSON array of distinct strings) as the label mapping that
   * checks rows, or null when it is not given.
   */
  static io.sparkprop.core.data.Preprocessing classLabels(Map<String, String> o, String what) {
    String v = o.get("classLabels");
    if (v == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v);
      if (a == null || !a.isArray() || a.isEmpty()) {
        throw new IllegalArgumentException(what + ": option classLabels must be a JSON array of strings, got " + v);
      }
      String[] labels = new String[a.size()];
      for (int i = 0; i < labels.length; i++) {
        if (!a.get(i).isTextual()) {
          throw new IllegalArgumentException(what + ": option classLabels must be a JSON array of strings, got " + v);
        }
        labels[i] = a.get(i).asText();
      }
      java.util.Arrays.sort(labels);
      return new io.sparkprop.core.data.Preprocessing(null, null, null, labels);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(what + ": option classLabels must be a JSON array of strings, got " + v, e);
    }
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

  private static Dataset<Row> parquet(SparkSession spark, String path, Map<String, String> o, int numFeatures,
                                      int numClasses) {
    String featuresCol = o.getOrDefault("featuresCol", FEATURES);
    String labelCol = o.getOrDefault("labelCol", LABEL);
    Dataset<Row> df = readParquet(spark, path);
    List<String> cols = Arrays.asList(df.columns());
    if (!cols.contains(labelCol)) {
      throw new DataException("parquet data " + path + ": there is no column '" + labelCol + "'; the columns are "
          + cols + " (set the labelCol option)");
    }
    DataType lt = df.schema().apply(labelCol).dataType();
    boolean strings = lt.equals(DataTypes.StringType);
    if (!(lt instanceof NumericType) && !strings) {
      throw new DataException("parquet data " + path + ": column '" + labelCol + "' is " + lt.simpleString()
          + ", expected a number or a string");
    }
    var classLabels = classLabels(o, "parquet data " + path);
    if (classLabels != null && !strings) {
      throw new DataException("parquet data " + path + ": column '" + labelCol + "' is " + lt.simpleString()
          + ", expected the string labels of the model " + Arrays.toString(classLabels.labelStrings()));
    }
    String weight = parquetWeightColumn(df, path, o, labelCol);
    Column features;
    String[] names = null;
    if (o.get("features") != null || (!cols.contains(featuresCol) && !o.containsKey("featuresCol"))) {
      List<String> chosen = new ArrayList<>();
      if (o.get("features") != null) {
        for (String n : JsonLinesReader.names(o.get("features"))) {
          if (!cols.contains(n)) {
            throw new DataException("parquet data " + path + ": there is no column '" + n + "'; the columns are "
                + cols);
          }
          if (n.equals(o.get("weightCol"))) {
            throw new DataException("parquet data " + path + ": feature column '" + n + "' is the weight column");
          }
          chosen.add(n);
        }
      } else {
        for (StructField f : df.schema().fields()) {
          if (!f.name().equals(labelCol) && !f.name().equals(o.get("weightCol"))
              && f.dataType() instanceof NumericType) {
            chosen.add(f.name());
          }
        }
      }
      if (chosen.isEmpty()) {
        throw new DataException("parquet data " + path + ": there is no column '" + featuresCol + "' and no number "
            + "column besides the label; the columns are " + cols);
      }
      for (String n : chosen) {
        DataType t = df.schema().apply(n).dataType();
        if (!(t instanceof NumericType)) {
          throw new DataException("parquet data " + path + ": column '" + n + "' is " + t.simpleString()
              + ", expected a number");
        }
      }
      names = chosen.toArray(new String[0]);
      Column[] c = new Column[names.length];
      for (int i = 0; i < c.length; i++) {
        c[i] = Columns.col(names[i]).cast("double");
      }
      features = functions.array(c);
      numFeatures = numFeatures > 0 ? numFeatures : names.length;
    } else {
      if (!cols.contains(featuresCol)) {
        throw new DataException("parquet data " + path + ": there is no column '" + featuresCol
            + "'; the columns are " + cols + " (set the featuresCol/labelCol options)");
      }
      DataType ft = df.schema().apply(featuresCol).dataType();
      boolean vector = ft instanceof org.apache.spark.ml.linalg.VectorUDT;
      if (!vector && !(ft instanceof ArrayType a && a.elementType() instanceof NumericType)) {
        throw new DataException("parquet data " + path + ": column '" + featuresCol + "' is " + ft.simpleString()
            + ", expected a vector or an array of numbers");
      }
      features = Columns.col(featuresCol);
    }
    List<Column> select = new ArrayList<>(List.of(features, Columns.col(labelCol).cast(strings ? "string" : "double")));
    if (weight != null) {
      select.add(Columns.col(weight).cast("double"));
    }
    select.add(functions.col("_metadata.file_path"));
    select.add(functions.col("_metadata.row_index"));
    JavaRDD<Row> rows = df.select(select.toArray(new Column[0])).javaRDD().mapPartitions(new RowChecks(featuresCol,
        names, labelCol, true, numFeatures, numClasses, weight, strings, classLabels));
    return spark.createDataFrame(rows, schema(numFeatures, strings, weight != null));
  }
}
