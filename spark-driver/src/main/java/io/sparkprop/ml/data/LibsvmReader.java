package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * LIBSVM text ({@code label index:value ...}, indices 1-based and strictly ascending), read with
 * {@link TextLines} so that every problem names its file and line: a bad label or value, an
 * index that is 0 or negative, out of order, repeated or above {@code numFeatures}. Without
 * {@code numFeatures} a first pass over the files finds the largest index (as Spark's reader
 * does). Rows are sparse vectors; {@code #} starts a comment.
 */
final class LibsvmReader {

  private LibsvmReader() {
  }

  static Dataset<Row> load(SparkSession spark, String path, int numFeatures, int numClasses) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    var files = TextLines.files(conf, path, "libsvm data");
    if (TextLines.firstLine(conf, files, "libsvm data") == null) {
      throw new DataException("libsvm data " + (files.size() == 1 ? files.get(0) + ": the file is empty"
          : path + ": all " + files.size() + " files are empty"));
    }
    int n = numFeatures;
    if (n <= 0) {
      long max = TextLines.rows(spark, path, false, new Parse(-1, numClasses, true))
          .map(r -> r.getLong(0)).fold(0L, Math::max);
      if (max > Integer.MAX_VALUE - 16) {
        throw new DataException("libsvm data " + path + ": the largest feature index is " + max
            + ", too many features");
      }
      n = (int) Math.max(1, max);
    }
    JavaRDD<Row> rows = TextLines.rows(spark, path, false, new Parse(n, numClasses, false));
    return spark.createDataFrame(rows, DataSources.schema(n));
  }

  /** Parses one line into (sparse vector, label), or into (largest index) when {@code maxOnly}. */
  private record Parse(int numFeatures, int numClasses, boolean maxOnly) implements TextLines.LineParser {

    @Override
    public Row parse(String line, String file, TextLines.Where where) {
      int hash = line.indexOf('#');
      String[] tokens = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
      if (tokens.length == 0 || tokens[0].isEmpty()) {
        return maxOnly ? RowFactory.create(0L) : null;
      }
      String[] problem = new String[1];
      double label = TextLines.number(tokens[0], problem);
      if (problem[0] != null) {
        throw new DataException(where.text() + ", label: " + problem[0]);
      }
      int[] idx = new int[tokens.length - 1];
      double[] val = new double[tokens.length - 1];
      long previous = 0;
      for (int t = 1; t < tokens.length; t++) {
        String tok = tokens[t];
        int colon = tok.indexOf(':');
        if (colon <= 0) {
          throw new DataException(where.text() + ": '" + tok + "' is not index:value");
        }
        long i;
        try {
          i = Long.parseLong(tok.substring(0, colon));
        } catch (NumberFormatException e) {
          throw new DataException(where.text() + ": index '" + tok.substring(0, colon) + "' is not an integer");
        }
        if (i < 1) {
          throw new DataException(where.text() + ": index " + i + " (indices are 1-based)");
        }
        if (i == previous) {
          throw new DataException(where.text() + ": index " + i + " appears twice");
        }
        if (i < previous) {
          throw new DataException(where.text() + ": index " + i + " after " + previous
              + " (indices must be in ascending order)");
        }
        if (!maxOnly && i > numFeatures) {
          throw new DataException(where.text() + ": index " + i + " is past numFeatures " + numFeatures);
        }
        double v = TextLines.number(tok.substring(colon + 1), problem);
        if (problem[0] != null) {
          throw new DataException(where.text() + ", index " + i + ": " + problem[0]);
        }
        previous = i;
        idx[t - 1] = (int) Math.min(i - 1, Integer.MAX_VALUE);
        val[t - 1] = v;
      }
      if (maxOnly) {
        return RowFactory.create(previous);
      }
      if (numClasses > 0) {
        String bad = RowChecks.checkClass(label, numClasses);
        if (bad != null) {
          throw new DataException(where.text() + ", column 'label': " + bad);
        }
      }
      return RowFactory.create(Vectors.sparse(numFeatures, idx, val), label);
    }
  }
}
