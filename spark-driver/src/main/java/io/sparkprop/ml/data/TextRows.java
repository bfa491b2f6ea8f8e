package io.sparkprop.ml.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.core.data.DataException;
import io.sparkprop.spark.data.Columns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Labelled texts (option {@code textCol}): JSON lines or Parquet rows read as a DataFrame of
 * {@code text} (string) and {@code label} (double), for a text vectorizer to turn into token ids.
 * A missing, null or non-string text and a bad label are errors naming the file, the line or
 * row, and the key or column.
 */
final class TextRows {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TextRows() {
  }

  /** The schema of text rows. */
  static StructType schema() {
    return new StructType().add(DataSources.TEXT, DataTypes.StringType, false)
        .add(DataSources.LABEL, DataTypes.DoubleType, false);
  }

  static Dataset<Row> json(SparkSession spark, String path, Map<String, String> o, int numClasses) {
    String text = o.get("textCol");
    String label = o.getOrDefault("labelCol", DataSources.LABEL);
    JsonLinesReader.First f = JsonLinesReader.first(spark, path);
    List<Path> files = f.files();
    JsonNode first = f.object();
    List<String> keys = new ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    for (String k : List.of(text, label)) {
      if (!first.has(k)) {
        throw new DataException("json data " + files.get(0) + ": there is no key '" + k + "'; the first object has "
            + keys);
      }
    }
    JavaRDD<Row> rows = TextLines.rows(spark, path, false, new ParseLine(text, label, numClasses));
    return spark.createDataFrame(rows, schema());
  }

  static Dataset<Row> parquet(SparkSession spark, String path, Map<String, String> o, int numClasses) {
    String text = o.get("textCol");
    String label = o.getOrDefault("labelCol", DataSources.LABEL);
    TextLines.files(spark.sparkContext().hadoopConfiguration(), path, "parquet data");
    Dataset<Row> df;
    try {
      df = spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw new DataException("parquet data " + path + ": " + e.getMessage(), e);
    }
    List<String> cols = Arrays.asList(df.columns());
    for (String k : List.of(text, label)) {
      if (!cols.contains(k)) {
        throw new DataException("parquet data " + path + ": there is no column '" + k + "'; the columns are " + cols);
      }
    }
    DataType tt = df.schema().apply(text).dataType();
    if (!tt.equals(DataTypes.StringType)) {
      throw new DataException("parquet data " + path + ": column '" + text + "' is " + tt.simpleString()
          + ", expected a string (the text)");
    }
    DataType lt = df.schema().apply(label).dataType();
    if (!(lt instanceof NumericType)) {
      throw new DataException("parquet data " + path + ": column '" + label + "' is " + lt.simpleString()
          + ", expected a number");
    }
    JavaRDD<Row> rows = df.select(Columns.col(text), Columns.col(label).cast("double"),
            functions.col("_metadata.file_path"), functions.col("_metadata.row_index"))
        .javaRDD().mapPartitions(new CheckRows(text, label, numClasses));
    return spark.createDataFrame(rows, schema());
  }

  /** One JSON line into (text, label). */
  private record ParseLine(String text, String label, int numClasses) implements TextLines.LineParser {
    @Override
    public Row parse(String line, String file, TextLines.Where where) {
      JsonNode n;
      try {
        n = MAPPER.readTree(line);
      } catch (IOException e) {
        throw new DataException(where.text() + ": not JSON: " + (e instanceof com.fasterxml.jackson.core
            .JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
      }
      if (!n.isObject()) {
        throw new DataException(where.text() + ": not a JSON object");
      }
      JsonNode t = n.get(text);
      if (t == null || t.isNull()) {
        throw new DataException(where.text() + ", key '" + text + "': missing (a text is required)");
      }
      if (!t.isTextual()) {
        throw new DataException(where.text() + ", key '" + text + "': " + abbreviate(t.toString())
            + " is not a string");
      }
      JsonNode y = n.get(label);
      if (y == null || y.isNull()) {
        throw new DataException(where.text() + ", key '" + label + "': missing");
      }
      if (!y.isNumber() || !Double.isFinite(y.asDouble())) {
        throw new DataException(where.text() + ", key '" + label + "': " + abbreviate(y.toString())
            + " is not a number");
      }
      return RowFactory.create(t.asText(), checked(y.asDouble(), numClasses, where.text() + ", key '" + label + "'"));
    }
  }

  /** Checks Parquet rows (text, label, file, row index), keeping (text, label). */
  private record CheckRows(String text, String label, int numClasses)
      implements FlatMapFunction<Iterator<Row>, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          String where = (r.isNullAt(2) ? "(unknown file)" : r.getString(2))
              + (r.isNullAt(3) ? "" : ", row " + r.getLong(3));
          if (r.isNullAt(0)) {
            throw new DataException(where + ": column '" + text + "' is null (a text is required)");
          }
          if (r.isNullAt(1)) {
            throw new DataException(where + ": column '" + label + "' is null");
          }
          double y = r.getDouble(1);
          if (!Double.isFinite(y)) {
            throw new DataException(where + ": column '" + label + "' is " + y + ", expected a finite number");
          }
          return RowFactory.create(r.getString(0), checked(y, numClasses, where + ": column '" + label + "'"));
        }
      };
    }
  }

  private static double checked(double y, int numClasses, String where) {
    if (numClasses > 0) {
      String bad = RowChecks.checkClass(y, numClasses);
      if (bad != null) {
        throw new DataException(where + ": " + bad);
      }
    }
    return y;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
