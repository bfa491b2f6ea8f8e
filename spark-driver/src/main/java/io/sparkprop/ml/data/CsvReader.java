package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * CSV of numbers: one sample per line, a label column and feature columns, read with
 * {@link TextLines} so that every bad cell is reported with its file and 1-based line number
 * (counted in the file, header included) and its column, e.g.
 * {@code data.csv, line 7, column 'x2': 'abc' is not a number}. Numbers are decimals as people
 * write them ({@code 5d}, {@code 0x1p3}, {@code NaN} are not numbers). Cells may be surrounded
 * by spaces and double quotes; blank lines are skipped. With a header, the first line of every
 * file is skipped. The layout (column count, names) is read from the first non-empty file (by
 * name) when {@link #load} is called. The features are the columns named in the {@code features}
 * option (comma-separated names, or 0-based indices without a header), else all but the label.
 * A label column whose first data cell is not a number is read as strings, and the
 * {@code weightCol} column (never a feature) as sample weights (see {@link DataSources}).
 */
final class CsvReader {

  private CsvReader() {
  }

  static Dataset<Row> load(SparkSession spark, String path, Map<String, String> o, int numFeatures, int numClasses) {
    boolean header = bool(o.getOrDefault("header", "false"), path);
    String sep = o.getOrDefault("sep", ",");
    if (sep.length() != 1) {
      throw new IllegalArgumentException("csv data " + path + ": option sep must be one character, got '" + sep + "'");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = TextLines.files(conf, path, "csv data");
    Path first = files.get(0);
    List<String> start = TextLines.firstLines(conf, files, "csv data", header ? 2 : 1);
    String line = start.isEmpty() ? null : start.get(0);
    if (line == null) {
      throw new DataException("csv data " + (files.size() == 1 ? first + ": the file is empty"
          : path + ": all " + files.size() + " files are empty"));
    }
    String[] cells = split(line, sep.charAt(0));
    String[] names = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      names[i] = header ? "'" + cells[i] + "'" : i + " (0-based)";
    }
    int label = labelIndex(o.get("label"), header, cells, first);
    if (cells.length < 2) {
      throw new DataException("csv data " + first + ", line 1: found 1 column, expected a label column and at least "
          + "one feature column (separator '" + sep + "')");
    }
    int weight = weightIndex(o, header, cells, label, first);
    int[] features = featureIndices(o.get("features"), header, cells, label, weight, first);
    if (numFeatures > 0 && features.length != numFeatures) {
      throw new DataException("csv data " + first + ", line 1: " + features.length + " feature columns, expected "
          + numFeatures + " (numFeatures)");
    }
    var classLabels = DataSources.classLabels(o, "csv data " + path);
    // string labels when the first data row's label is not a number (or the caller says so)
    String data = start.size() > (header ? 1 : 0) ? start.get(header ? 1 : 0) : null;
    String[] firstRow = data == null ? new String[0] : split(data, sep.charAt(0));
    String[] problem = new String[1];
    if (label < firstRow.length) {
      TextLines.number(firstRow[label], problem);
    }
    // a word; NaN, inf and empty cells stay number labels and fail as such
    boolean strings = classLabels != null || (problem[0] != null && problem[0].endsWith("is not a number"));
    JavaRDD<Row> rows = TextLines.rows(spark, path, header,
        new Parse(sep.charAt(0), label, features, names, numClasses, strings, classLabels, weight));
    return spark.createDataFrame(rows, DataSources.schema(features.length, strings, weight >= 0));
  }

  private static boolean bool(String v, String path) {
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException("csv data " + path + ": option header must be true or false, got '" + v + "'");
  }

  private static int labelIndex(String option, boolean header, String[] cells, Path file) {
    if (header) {
      String want = option == null ? "label" : option;
      int i = Arrays.asList(cells).indexOf(want);
      if (i >= 0) {
        return i;
      }
      if (option == null) {
        return 0;
      }
      throw new DataException("csv data " + file + ": there is no column '" + want + "'; the header names "
          + Arrays.toString(cells));
    }
    if (option == null) {
      return 0;
    }
    return index(option, cells, file, "label");
  }

  /** The 0-based index of the {@code weightCol} column, or -1 (none, or optional and absent). */
  static int weightIndex(Map<String, String> o, boolean header, String[] cells, int label, Path file) {
    String option = o.get("weightCol");
    if (option == null) {
      return -1;
    }
    if (header) {
      String w = DataSources.weightColumn(o, Arrays.asList(cells), "csv data " + file, cells[label]);
      return w == null ? -1 : Arrays.asList(cells).indexOf(w);
    }
    int i = index(option, cells, file, "weight");
    if (i == label) {
      throw new DataException("csv data " + file + ": the weight column " + option + " is the label column");
    }
    return i;
  }

  private static int index(String option, String[] cells, Path file, String what) {
    try {
      int i = Integer.parseInt(option.trim());
      if (i >= 0 && i < cells.length) {
        return i;
      }
    } catch (NumberFormatException e) {
      throw new DataException("csv data " + file + ": " + what + " column '" + option + "' must be a 0-based column "
          + "index when the file has no header (set header=true to name columns)");
    }
    throw new DataException("csv data " + file + ": " + what + " column " + option + " is missing: lines have "
        + cells.length + " columns (0-based indices 0 to " + (cells.length - 1) + ")");
  }

  /** The feature columns: those of the option (comma-separated), else every column but the label. */
  private static int[] featureIndices(String option, boolean header, String[] cells, int label, int weight,
                                      Path file) {
    List<Integer> out = new ArrayList<>();
    if (option == null || option.isBlank()) {
      for (int i = 0; i < cells.length; i++) {
        if (i != label && i != weight) {
          out.add(i);
        }
      }
    } else {
      for (String name : option.split(",")) {
        String n = name.trim();
        int i = header ? Arrays.asList(cells).indexOf(n) : index(n, cells, file, "feature");
        if (i < 0) {
          throw new DataException("csv data " + file + ": there is no column '" + n + "'; the header names "
              + Arrays.toString(cells));
        }
        if (i == label || i == weight || out.contains(i)) {
          throw new DataException("csv data " + file + ": feature column '" + n + "' is "
              + (i == label ? "the label" : i == weight ? "the weight column" : "named twice"));
        }
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The cells of {@code line}, trimmed, surrounding double quotes removed. */
  static String[] split(String line, char sep) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == sep) {
        String c = line.substring(from, i).trim();
        if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
          c = c.substring(1, c.length() - 1).trim();
        }
        out.add(c);
        from = i + 1;
      }
    }
    return out.toArray(new String[0]);
  }

  /** Parses one line into (features, label). */
  private record Parse(char sep, int label, int[] features, String[] names, int numClasses, boolean strings,
                       io.sparkprop.core.data.Preprocessing classLabels, int weight)
      implements TextLines.LineParser {

    @Override
    public Row parse(String line, String file, TextLines.Where where) {
      String[] cells = split(line, sep);
      if (cells.length != names.length) {
        throw new DataException(where.text() + ": found " + cells.length + " columns, expected " + names.length
            + " (as the first line of the first file)");
      }
      double[] x = new double[features.length];
      for (int j = 0; j < features.length; j++) {
        x[j] = number(cells, features[j], where);
      }
      Object y = strings ? string(cells[label], where) : number(cells, label, where);
      if (!strings && numClasses > 0) {
        String bad = RowChecks.checkClass((Double) y, numClasses);
        if (bad != null) {
          throw new DataException(where.text() + ", column " + names[label] + ": " + bad);
        }
      }
      if (weight < 0) {
        return RowFactory.create(Vectors.dense(x), y);
      }
      double w = number(cells, weight, where);
      String bad = RowChecks.checkWeight(w);
      if (bad != null) {
        throw new DataException(where.text() + ", column " + names[weight] + ": " + bad);
      }
      return RowFactory.create(Vectors.dense(x), y, w);
    }

    private String string(String y, TextLines.Where where) {
      String bad = RowChecks.checkString(y, classLabels);
      if (bad != null) {
        throw new DataException(where.text() + ", column " + names[label] + ": " + bad);
      }
      return y;
    }

    private double number(String[] cells, int col, TextLines.Where where) {
      String[] problem = new String[1];
      double v = TextLines.number(cells[col], problem);
      if (problem[0] != null) {
        throw new DataException(where.text() + ", column " + names[col] + ": " + problem[0]);
      }
      return v;
    }
  }
}
