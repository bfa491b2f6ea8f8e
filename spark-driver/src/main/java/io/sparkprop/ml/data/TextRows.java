package io.sparkprop.ml.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.data.DataException;
import io.sparkprop.spark.data.Columns;
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
 * Labelled texts (option {@code textCol}): JSON lines, Parquet or csv rows read as a DataFrame of
 * {@code text} (string), {@code label} (double) and, with {@code weightCol}, {@code weight}, for a
 * text vectorizer to turn into token ids. csv is read by Spark's csv reader with a header and
 * {@code multiLine} (a quoted text may hold the separator, line breaks and {@code ""} for a
 * quote); its rows are named by their 1-based data row in the file (header not counted). A
 * missing, null or non-string text, a bad label and a bad weight are errors naming the file, the
 * line or row, and the key or column.
 */
final class TextRows {
  private TextRows() {
  }

  /** The schema of text rows, with the weight column when {@code weighted}. */
  static StructType schema(boolean weighted) {
    StructType t = new StructType().add(DataSources.TEXT, DataTypes.StringType, false)
        .add(DataSources.LABEL, DataTypes.DoubleType, false);
    return weighted ? t.add(DataSources.WEIGHT, DataTypes.DoubleType, false) : t;
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
    String weight = DataSources.weightColumn(o, keys, "json data " + files.get(0), label);
    JavaRDD<Row> rows = TextLines.rows(spark, path, false, new ParseLine(text, label, weight, numClasses));
    return spark.createDataFrame(rows, schema(weight != null));
  }

  static Dataset<Row> parquet(SparkSession spark, String path, Map<String, String> o, int numClasses) {
    String text = o.get("textCol");
    String label = o.getOrDefault("labelCol", DataSources.LABEL);
    Dataset<Row> df = DataSources.readParquet(spark, path);
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
    String weight = DataSources.parquetWeightColumn(df, path, o, label);
    JavaRDD<Row> rows = df.select(Columns.col(text), Columns.col(label).cast("double"),
            weight == null ? functions.lit(1.0) : Columns.col(weight).cast("double"),
            functions.col("_metadata.file_path"), functions.col("_metadata.row_index"))
        .javaRDD().mapPartitions(new CheckRows(text, label, weight, numClasses, false));
    return spark.createDataFrame(rows, schema(weight != null));
  }

  /** Spark's name of the column that receives a row it cannot parse. */
  private static final String CORRUPT = "_corrupt_record";

  static Dataset<Row> csv(SparkSession spark, String path, Map<String, String> o, int numClasses) {
    String text = o.get("textCol");
    String label = o.getOrDefault("label", DataSources.LABEL);
    if (!"true".equalsIgnoreCase(o.get("header"))) {
      throw new IllegalArgumentException("csv data " + path + ": a text column needs a header (header=true) naming "
          + "the columns");
    }
    List<Path> files = TextLines.files(spark.sparkContext().hadoopConfiguration(), path, "csv data");
    if (TextLines.firstLine(spark.sparkContext().hadoopConfiguration(), files, "csv data") == null) {
      throw new DataException("csv data " + (files.size() == 1 ? files.get(0) + ": the file is empty"
          : path + ": all " + files.size() + " files are empty"));
    }
    // RFC 4180 quoting: a quote inside a quoted cell is doubled; cells are strings, parsed below
    var reader = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .option("sep", o.getOrDefault("sep", ","));
    StructType header;
    try {
      header = reader.csv(path).schema();
    } catch (RuntimeException e) {
      throw new DataException("csv data " + path + ": " + e.getMessage(), e);
    }
    List<String> cols = Arrays.asList(header.fieldNames());
    for (String k : List.of(text, label)) {
      if (!cols.contains(k)) {
        throw new DataException("csv data " + files.get(0) + ": there is no column '" + k + "'; the header names "
            + cols);
      }
    }
    String weight = DataSources.weightColumn(o, cols, "csv data " + files.get(0), label);
    Dataset<Row> df = reader.schema(header.add(CORRUPT, DataTypes.StringType))
        .option("columnNameOfCorruptRecord", CORRUPT).csv(path);
    JavaRDD<Row> rows = df.select(Columns.col(text), Columns.col(label),
            weight == null ? functions.lit("1") : Columns.col(weight), functions.col(CORRUPT),
            functions.col("_metadata.file_path"))
        .javaRDD().mapPartitions(new CheckRows(text, label, weight, numClasses, true));
    return spark.createDataFrame(rows, schema(weight != null));
  }

  /** One JSON line into (text, label[, weight]). */
  private record ParseLine(String text, String label, String weight, int numClasses)
      implements TextLines.LineParser {
    @Override
    public Row parse(String line, String file, TextLines.Where where) {
      JsonNode n = JsonLinesReader.object(line, where);
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
      double c = checked(y.asDouble(), numClasses, where.text() + ", key '" + label + "'");
      if (weight == null) {
        return RowFactory.create(t.asText(), c);
      }
      JsonNode w = n.get(weight);
      if (w == null || w.isNull() || !w.isNumber()) {
        throw new DataException(where.text() + ", key '" + weight + "': "
            + (w == null || w.isNull() ? "missing" : abbreviate(w.toString()) + " is not a number")
            + "; expected a sample weight");
      }
      return RowFactory.create(t.asText(), c, checkedWeight(w.asDouble(), where.text() + ", key '" + weight + "'"));
    }
  }

  /**
   * Checks rows (text, label, weight, file, row index) of Parquet or, when {@code csv}, (text,
   * label, weight, corrupt record, file) of csv cells (strings), counting each file's data rows;
   * keeps (text, label[, weight]).
   */
  private record CheckRows(String text, String label, String weight, int numClasses, boolean csv)
      implements FlatMapFunction<Iterator<Row>, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private String file;
        private long row;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          String where;
          if (csv) {
            // multiLine csv files are not split: a file's rows arrive together and in order
            String f = r.isNullAt(4) ? "(unknown file)" : r.getString(4);
            row = f.equals(file) ? row + 1 : 1;
            file = f;
            where = f + ", data row " + row;
            if (!r.isNullAt(3)) {
              throw new DataException(where + ": the row does not have the header's columns (or a quote is not "
                  + "closed): " + abbreviate(r.getString(3).strip()));
            }
          } else {
            where = (r.isNullAt(3) ? "(unknown file)" : r.getString(3)) + (r.isNullAt(4) ? "" : ", row " + r.getLong(4));
          }
          if (r.isNullAt(0)) {
            throw new DataException(where + ": column '" + text + "' is " + (csv ? "empty" : "null")
                + " (a text is required)");
          }
          if (r.isNullAt(1)) {
            throw new DataException(where + ": column '" + label + "' is " + (csv ? "empty" : "null"));
          }
          double y = number(r, 1, where + ": column '" + label + "'");
          if (!Double.isFinite(y)) {
            throw new DataException(where + ": column '" + label + "' is " + y + ", expected a finite number");
          }
          double c = checked(y, numClasses, where + ": column '" + label + "'");
          if (weight == null) {
            return RowFactory.create(r.getString(0), c);
          }
          if (r.isNullAt(2)) {
            throw new DataException(where + ": column '" + weight + "' is " + (csv ? "empty" : "null")
                + "; expected a sample weight");
          }
          return RowFactory.create(r.getString(0), c,
              checkedWeight(number(r, 2, where + ": column '" + weight + "'"), where + ": column '" + weight + "'"));
        }

        /** Cell {@code i}: a csv string parsed as a decimal number, or a Parquet double. */
        private double number(Row r, int i, String where) {
          if (!csv) {
            return r.getDouble(i);
          }
          String[] problem = new String[1];
          double v = TextLines.number(r.getString(i).strip(), problem);
          if (problem[0] != null) {
            throw new DataException(where + ": " + problem[0]);
          }
          return v;
        }
      };
    }
  }

  private static double checkedWeight(double w, String where) {
    String bad = RowChecks.checkWeight(w);
    if (bad != null) {
      throw new DataException(where + ": " + bad);
    }
    return w;
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
