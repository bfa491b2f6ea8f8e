package io.sparkprop.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataException;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DataSources}' option {@code weightCol} (csv, json, parquet), string labels in Parquet and
 * texts in csv ({@code textCol} with quoted separators, line breaks and quotes), with their
 * messages for bad rows.
 */
class WeightsAndTextDataTest {
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;

  private static String write(String name, String content) {
    Path p = dir.resolve(name);
    try {
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p.toUri().toString();
  }

  /** Each row as "features|label|weight". */
  private static List<String> rows(Dataset<Row> df) {
    return df.collectAsList().stream().map(r -> {
      StringBuilder b = new StringBuilder();
      b.append(r.get(0) instanceof Vector v ? java.util.Arrays.toString(v.toArray()) : r.get(0));
      for (int i = 1; i < r.length(); i++) {
        b.append('|').append(r.get(i));
      }
      return b.toString();
    }).toList();
  }

  @Test
  void aWeightColumnIsNeverAFeatureAndIsKeptAsWeight() {
    String csv = write("w.csv", "x1,w,x2,label\n1,2,3,0\n4,0.5,6,1\n");
    Dataset<Row> c = DataSources.load(spark, "csv", csv, Map.of("header", "true", "weightCol", "w"));
    assertThat(c.columns()).containsExactly("features", "label", "weight");
    assertThat(rows(c)).containsExactly("[1.0, 3.0]|0.0|2.0", "[4.0, 6.0]|1.0|0.5");
    String noHeader = write("w0.csv", "0,1,2,3\n1,4,5,6\n");
    assertThat(rows(DataSources.load(spark, "csv", noHeader, Map.of("weightCol", "2"))))
        .containsExactly("[1.0, 3.0]|0.0|2.0", "[4.0, 6.0]|1.0|5.0");
    String json = write("w.jsonl", "{\"a\": 1, \"w\": 3, \"b\": 2, \"label\": 1}\n");
    assertThat(rows(DataSources.load(spark, "json", json, Map.of("weightCol", "w"))))
        .containsExactly("[1.0, 2.0]|1.0|3.0");
    String p = dir.resolve("w.parquet").toUri().toString();
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("w", DataTypes.IntegerType)
        .add("label", DataTypes.DoubleType);
    spark.createDataFrame(List.of(RowFactory.create(1.0, 4, 0.0), RowFactory.create(2.0, -1, 1.0)), schema)
        .coalesce(1).write().parquet(p);
    Dataset<Row> q = DataSources.load(spark, "parquet", p, Map.of("weightCol", "w"));
    assertThat(rows(q.limit(1))).containsExactly("[1.0]|0.0|4.0");
    assertThat(DataSourcesTest.dataError(q::collect)).endsWith(", row 1: column 'w': weight -1.0 is not a finite number >= 0");

    // optional: a source without the column reads without weights, one with it never takes it as a feature
    Map<String, String> optional = Map.of("header", "true", "weightCol", "w", "weightOptional", "true");
    String plain = write("plain.csv", "x1,x2,label\n1,3,0\n");
    assertThat(DataSources.load(spark, "csv", plain, optional).columns()).containsExactly("features", "label");
    assertThat(rows(DataSources.load(spark, "csv", csv, optional))).hasSize(2).allMatch(r -> r.split("\\|").length == 3);
  }

  @Test
  void badWeightsNameFileLineAndColumn() {
    Map<String, String> o = Map.of("header", "true", "weightCol", "w");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", write("nw.csv", "x1,label\n1,0\n"), o)))
        .endsWith("nw.csv: there is no weight column 'w' (weightCol); the columns are [x1, label]");
    for (String[] c : new String[][] {{"abc", "'abc' is not a number"}, {"NaN", "'NaN' is not a finite number"},
        {"-2", "weight -2.0 is not a finite number >= 0"}, {"", "the cell is empty"}}) {
      String f = write("bw.csv", "x1,w,label\n1,1,0\n2," + c[0] + ",1\n");
      assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", f, o).collect()))
          .endsWith("bw.csv, line 3, column 'w': " + c[1]);
    }
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", write("fw.csv", "x1,w,label\n1,1,0\n"),
        Map.of("header", "true", "weightCol", "w", "features", "x1,w"))))
        .endsWith("feature column 'w' is the weight column");
    String json = write("bw.jsonl", "{\"a\": 1, \"w\": 1, \"label\": 0}\n{\"a\": 1, \"w\": \"x\", \"label\": 0}\n");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "json", json, Map.of("weightCol", "w")).collect()))
        .endsWith("bw.jsonl, line 2, key 'w': \"x\" is not a number");
    assertThatThrownBy(() -> DataSources.load(spark, "libsvm", json, Map.of("weightCol", "w")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option 'weightCol'");
  }

  @Test
  void parquetStringLabelsAreReadAsStringsAndCheckedAgainstClassLabels() {
    String p = dir.resolve("species.parquet").toUri().toString();
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("species", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create(1.0, "setosa"), RowFactory.create(2.0, "virginica"),
        RowFactory.create(3.0, "")), schema).coalesce(1).write().parquet(p);
    Dataset<Row> df = DataSources.load(spark, "parquet", p, Map.of("labelCol", "species"));
    assertThat(df.schema().apply("label").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(rows(df.limit(2))).containsExactly("[1.0]|setosa", "[2.0]|virginica");
    assertThat(DataSourcesTest.dataError(df::collect)).endsWith(", row 2: column 'species': the label is empty");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "parquet", p, Map.of("labelCol", "species",
        "classLabels", "[\"setosa\", \"versicolor\"]")).collect()))
        .endsWith(", row 1: column 'species': label 'virginica' is not one of the 2 labels of the training data "
            + "['setosa', 'versicolor']");
  }

  @Test
  void csvTextsMayHoldSeparatorsLineBreaksAndQuotes() {
    String csv = write("mail.csv", "id,text,label,w\n"
        + "1,\"win money, now\",1,2\n"
        + "2,\"first line\nsecond line\",0,1\n"
        + "3,\"she said \"\"hi\"\"\",0,0.5\n");
    Dataset<Row> df = DataSources.load(spark, "csv", csv, Map.of("header", "true", "textCol", "text",
        "weightCol", "w"));
    assertThat(df.columns()).containsExactly("text", "label", "weight");
    assertThat(rows(df)).containsExactly("win money, now|1.0|2.0", "first line\nsecond line|0.0|1.0",
        "she said \"hi\"|0.0|0.5");
    assertThat(rows(DataSources.load(spark, "csv", csv, Map.of("header", "true", "textCol", "text"))))
        .containsExactly("win money, now|1.0", "first line\nsecond line|0.0", "she said \"hi\"|0.0");
  }

  @Test
  void badCsvTextRowsAreNamedByFileRowAndColumn() {
    Map<String, String> o = Map.of("header", "true", "textCol", "text");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", write("nt.csv", "body,label\nhi,0\n"), o)))
        .endsWith("nt.csv: there is no column 'text'; the header names [body, label]");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", write("et.csv", "text,label\nhi,0\n,1\n"), o)
        .collect())).endsWith("et.csv, data row 2: column 'text' is empty (a text is required)");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", write("lt.csv", "text,label\n\"a, b\",0\nhi,x\n"), o)
        .collect())).endsWith("lt.csv, data row 2: column 'label': 'x' is not a number");
    assertThat(DataSourcesTest.dataError(() -> DataSources.load(spark, "csv", write("ct.csv", "text,label\nhi,0\nhi,0,3\n"), o)
        .collect())).contains("ct.csv, data row 2: the row does not have the header's columns");
    assertThatThrownBy(() -> DataSources.load(spark, "csv", write("nh.csv", "hi,0\n"), Map.of("textCol", "text")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a text column needs a header");
  }
}
