package io.sparkprop.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataException;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format of {@link DataSources} on small local files, and the messages for bad data. */
class DataSourcesTest {
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;

  private static String write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p.toUri().toString();
  }

  /** The message of the DataException inside whatever Spark wrapped it in (shared with the package's tests). */
  static String dataError(Runnable r) {
    try {
      r.run();
    } catch (Exception e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof DataException) {
          return c.getMessage();
        }
      }
      throw new AssertionError("expected a DataException, got " + e, e);
    }
    throw new AssertionError("expected a DataException, nothing was thrown");
  }

  private static double[][] features(Dataset<Row> df) {
    List<Row> rows = df.collectAsList();
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Vector) rows.get(i).get(0)).toArray();
    }
    return out;
  }

  private static double[] labels(Dataset<Row> df) {
    return df.select("label").collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
  }

  @Test
  void csvWithHeaderFindsTheLabelByNameAndStripsQuotes() throws IOException {
    String p = write("h.csv", "x1,label,x2\n1.0,0,2.0\n\n 3.0 ,\"1\",\"4.5\"\n");
    Dataset<Row> df = DataSources.load(spark, "csv", p, Map.of("header", "true"));
    assertThat(df.columns()).containsExactly("features", "label");
    assertThat(features(df)).isEqualTo(new double[][] {{1, 2}, {3, 4.5}});
    assertThat(labels(df)).containsExactly(0, 1);
    assertThat(AttributeGroup.fromStructField(df.schema().apply("features")).size()).isEqualTo(2);
  }

  @Test
  void csvWithoutHeaderTakesALabelIndexAndSeparator() throws IOException {
    String p = write("n.csv", "1;2;7\n3;4;8\n");
    Dataset<Row> df = DataSources.load(spark, "csv", p, Map.of("label", "2", "sep", ";"));
    assertThat(features(df)).isEqualTo(new double[][] {{1, 2}, {3, 4}});
    assertThat(labels(df)).containsExactly(7, 8);
  }

  @Test
  void csvErrorsNameFileLineAndColumn() throws IOException {
    String bad = write("bad.csv", "x1,x2,label\n1,2,0\n1,abc,1\n");
    assertThat(dataError(() -> DataSources.load(spark, "csv", bad, Map.of("header", "true")).count()))
        .isEqualTo(bad.replace("file:///", "file:/") + ", line 3, column 'x2': 'abc' is not a number");
    String ragged = write("ragged.csv", "1,2,0\n1,2,0\n\n1,2\n");
    assertThat(dataError(() -> DataSources.load(spark, "csv", ragged, null).count()))
        .endsWith("ragged.csv, line 4: found 2 columns, expected 3 (as the first line of the first file)");
    String classes = write("classes.csv", "0,1.5\n2,1.5\n");
    assertThat(dataError(() -> DataSources.load(spark, "csv", classes, Map.of("numClasses", "2")).count()))
        .endsWith("classes.csv, line 2, column 0 (0-based): label 2.0 is not an integer class in [0, 2)");
    String empty = write("empty.csv", "1,,0\n");
    assertThat(dataError(() -> DataSources.load(spark, "csv", empty, null).count()))
        .endsWith("empty.csv, line 1, column 1 (0-based): the cell is empty");
    assertThat(dataError(() -> DataSources.load(spark, "csv", bad, Map.of("header", "true", "label", "y"))))
        .endsWith("bad.csv: there is no column 'y'; the header names [x1, x2, label]");
    assertThat(dataError(() -> DataSources.load(spark, "csv", classes, Map.of("label", "5"))))
        .endsWith("classes.csv: label column 5 is missing: lines have 2 columns (0-based indices 0 to 1)");
  }

  @Test
  void csvLineNumbersAreExactInLaterSplits() throws IOException {
    StringBuilder b = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 200; i++) {
      b.append(i).append(",").append(i == 150 ? "oops" : "1").append(",0\n");
    }
    String p = write("long.csv", b.toString());
    var conf = spark.sparkContext().hadoopConfiguration();
    conf.set("mapreduce.input.fileinputformat.split.maxsize", "256");
    try {
      Dataset<Row> ok = DataSources.load(spark, "csv", write("long-ok.csv", b.toString().replace("oops", "2")),
          Map.of("header", "true"));
      assertThat(ok.javaRDD().getNumPartitions()).isGreaterThan(4);
      assertThat(ok.count()).isEqualTo(200);
      assertThat(dataError(() -> DataSources.load(spark, "csv", p, Map.of("header", "true")).count()))
          .endsWith("long.csv, line 152, column 'b': 'oops' is not a number");
    } finally {
      conf.unset("mapreduce.input.fileinputformat.split.maxsize");
    }
  }

  @Test
  void libsvmGivesSparseVectorsAndChecksLabels() throws IOException {
    String p = write("a.libsvm", "1 1:0.5 3:2.0\n0 2:1.0\n");
    Dataset<Row> df = DataSources.load(spark, "libsvm", p, Map.of("numFeatures", "3"));
    List<Row> rows = df.collectAsList();
    assertThat(rows.get(0).get(0)).isInstanceOf(SparseVector.class);
    assertThat(features(df)).isEqualTo(new double[][] {{0.5, 0, 2}, {0, 1, 0}});
    assertThat(labels(df)).containsExactly(1, 0);
    assertThat(dataError(() -> DataSources.load(spark, "libsvm", p, Map.of("numClasses", "1")).count()))
        .contains("a.libsvm").endsWith("column 'label': label 1.0 is not an integer class in [0, 1)");
  }

  @Test
  void parquetAcceptsArraysAndVectorsAndNamesTheRow() {
    StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.FloatType))
        .add("y", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(List.of(1f, 2f).toArray(), 1));
    rows.add(RowFactory.create(List.of(3f, 4f, 5f).toArray(), 0));
    String p = dir.resolve("arrays.parquet").toUri().toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(p);
    Dataset<Row> df = DataSources.load(spark, "parquet", p, Map.of("featuresCol", "f", "labelCol", "y"));
    assertThat(features(df)).isEqualTo(new double[][] {{1, 2}, {3, 4, 5}});
    assertThat(labels(df)).containsExactly(1, 0);
    assertThat(dataError(() -> DataSources.load(spark, "parquet", p,
        Map.of("featuresCol", "f", "labelCol", "y", "numFeatures", "2")).count()))
        .contains("arrays.parquet").endsWith(", row 1: column 'f' has 3 values, expected 2 (numFeatures)");
    assertThat(dataError(() -> DataSources.load(spark, "parquet", p, Map.of())))
        .endsWith("there is no column 'label'; the columns are [f, y] (set the labelCol option)");
    assertThat(dataError(() -> DataSources.load(spark, "parquet", p, Map.of("labelCol", "y", "featuresCol", "g"))))
        .endsWith("there is no column 'g'; the columns are [f, y] (set the featuresCol/labelCol options)");

    String v = dir.resolve("vectors.parquet").toUri().toString();
    spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 2.0)), SparkTestSupport.SCHEMA)
        .write().parquet(v);
    assertThat(features(DataSources.load(spark, "parquet", v, null))).isEqualTo(new double[][] {{1, 2}});
  }

  @Test
  void idxImagesThroughHadoopStreams() throws IOException {
    Path images = dir.resolve("img-idx3-ubyte.gz");
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
      out.writeInt(0x00000803);
      out.writeInt(2);
      out.writeInt(1);
      out.writeInt(2);
      out.write(new byte[] {0, (byte) 255, 51, 102});
    }
    Path labels = dir.resolve("lab-idx1-ubyte");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
      out.writeInt(0x00000801);
      out.writeInt(2);
      out.write(new byte[] {3, 1});
    }
    Dataset<Row> df = DataSources.load(spark, "idx", images.toUri().toString(),
        Map.of("labels", labels.toUri().toString()));
    assertThat(features(df)).isEqualTo(new double[][] {{0, 1}, {(double) (51 / 255f), (double) (102 / 255f)}});
    assertThat(labels(df)).containsExactly(3, 1);
    assertThat(dataError(() -> DataSources.load(spark, "idx", images.toUri().toString(),
        Map.of("labels", labels.toUri().toString(), "numClasses", "2")).count()))
        .endsWith("lab-idx1-ubyte, item 0: label 3.0 is not an integer class in [0, 2)");
  }

  @Test
  void unknownFormatsAndOptionsAreRejected() {
    assertThatThrownBy(() -> DataSources.load(spark, "xml", "x", null))
        .hasMessage("unknown data format 'xml'; expected one of [libsvm, csv, parquet, json, idx]");
    assertThatThrownBy(() -> DataSources.load(spark, "csv", "x", Map.of("headers", "true")))
        .hasMessage("csv data x: unknown option 'headers'; expected one of [classLabels, features, header, label, "
            + "numClasses, numFeatures, sep, textCol, weightCol, weightOptional]");
    assertThatThrownBy(() -> DataSources.load(spark, "csv", "x", Map.of("numClasses", "two")))
        .hasMessage("data x: option numClasses must be a positive integer, got 'two'");
  }

  @Test
  void jsonLinesAndScalarParquetColumnsChosenByName() throws IOException {
    String j = write("rows.jsonl", "{\"a\": 1, \"b\": 2.5, \"c\": 9, \"label\": 1}\n\n{\"a\": 3, \"b\": 4, \"c\": 9, "
        + "\"label\": 0}\n");
    assertThat(features(DataSources.load(spark, "json", j, null))).isEqualTo(new double[][] {{1, 2.5, 9}, {3, 4, 9}});
    Dataset<Row> chosen = DataSources.load(spark, "json", j, Map.of("features", "b,a"));
    assertThat(features(chosen)).isEqualTo(new double[][] {{2.5, 1}, {4, 3}});
    assertThat(labels(chosen)).containsExactly(1, 0);
    String arr = write("arr.jsonl", "{\"features\": [1, 2], \"label\": 2}\n{\"features\": [1], \"label\": 2}\n");
    assertThat(dataError(() -> DataSources.load(spark, "json", arr, null).count()))
        .endsWith("arr.jsonl, line 2, key 'features': 1 values, expected 2 (as line 1 of the first file)");

    StructType schema = new StructType().add("x", DataTypes.IntegerType).add("y", DataTypes.DoubleType)
        .add("name", DataTypes.StringType).add("label", DataTypes.DoubleType);
    String p = dir.resolve("scalars.parquet").toUri().toString();
    spark.createDataFrame(List.of(RowFactory.create(1, 2.0, "a", 0.0), RowFactory.create(3, Double.NaN, "b", 1.0)),
        schema).coalesce(1).write().parquet(p);
    assertThat(dataError(() -> DataSources.load(spark, "parquet", p, null).count()))
        .contains("scalars.parquet/part-").endsWith(", row 1: column 'y' is NaN, expected a finite number");
    assertThat(features(DataSources.load(spark, "parquet", p, Map.of("features", "x")))).isEqualTo(
        new double[][] {{1}, {3}});
    assertThat(dataError(() -> DataSources.load(spark, "parquet", p, Map.of("features", "name"))))
        .endsWith("column 'name' is string, expected a number");
  }

  @Test
  void libsvmCountsFeaturesWhenNotGivenAndNamesLines() throws IOException {
    String p = write("b.libsvm", "# a comment\n1 2:0.5 7:1 # trailing\n0 3:1e-2\n");
    Dataset<Row> df = DataSources.load(spark, "libsvm", p, null);
    assertThat(AttributeGroup.fromStructField(df.schema().apply("features")).size()).isEqualTo(7);
    assertThat(features(df)[1]).containsExactly(0, 0, 0.01, 0, 0, 0, 0);
    String bad = write("c.libsvm", "1 1:1\n\n1 2:x\n");
    assertThat(dataError(() -> DataSources.load(spark, "libsvm", bad, Map.of("numFeatures", "2")).count()))
        .endsWith("c.libsvm, line 3, index 2: 'x' is not a number");
  }

  @Test
  void stringLabelsInCsvAndJsonAreReadAsStringsAndCheckedAgainstClassLabels() throws IOException {
    String csv = write("iris.csv", "x1,x2,species\n1,2,setosa\n3,4,virginica\n5,6,\"versicolor\"\n");
    Dataset<Row> c = DataSources.load(spark, "csv", csv, Map.of("header", "true", "label", "species"));
    assertThat(c.schema().apply("label").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(c.select("label").collectAsList()).extracting(r -> r.getString(0))
        .containsExactly("setosa", "virginica", "versicolor");
    assertThat(features(c)[2]).containsExactly(5, 6);
    String json = write("mail.jsonl", "{\"a\": 1, \"b\": 2, \"label\": \"spam\"}\n{\"a\": 3, \"b\": 4, \"label\": \"ham\"}\n");
    Dataset<Row> j = DataSources.load(spark, "json", json, Map.of());
    assertThat(j.select("label").collectAsList()).extracting(r -> r.getString(0)).containsExactly("spam", "ham");
    assertThat(features(j)[1]).containsExactly(3, 4);

    // a model's labels: a first label that looks like a number is still a string, an unseen one is named
    String test = write("iris-test.csv", "x1,x2,species\n1,2,7\n3,4,setosa\n");
    String known = "[\"setosa\", \"versicolor\", \"virginica\"]";
    assertThat(dataError(() -> DataSources.load(spark, "csv", test, Map.of("header", "true", "label", "species",
        "classLabels", known)).collect()))
        .endsWith("iris-test.csv, line 2, column 'species': label '7' is not one of the 3 labels of the training "
            + "data ['setosa', 'versicolor', 'virginica']");
    String jtest = write("mail-test.jsonl", "{\"a\": 1, \"b\": 2, \"label\": \"spam\"}\n{\"a\": 1, \"b\": 2, \"label\": 1}\n");
    assertThat(dataError(() -> DataSources.load(spark, "json", jtest, Map.of()).collect()))
        .endsWith("mail-test.jsonl, line 2, key 'label': 1 is not a string (the labels are strings, as in the first "
            + "line)");
    assertThatThrownBy(() -> DataSources.load(spark, "csv", csv, Map.of("classLabels", "spam")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classLabels must be a JSON array");
  }

  @Test
  void aNumberLabelThenAWordStaysANumberError() throws IOException {
    String csv = write("mixed.csv", "x1,label\n1,0\n2,cat\n");
    assertThat(dataError(() -> DataSources.load(spark, "csv", csv, Map.of("header", "true")).collect()))
        .endsWith("mixed.csv, line 3, column 'label': 'cat' is not a number");
  }
}
