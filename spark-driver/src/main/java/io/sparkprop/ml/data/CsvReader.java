package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * CSV of numbers: one sample per line, a label column and feature columns. Read with Hadoop's
 * {@link TextInputFormat} (splittable, any file system, compressed files by extension) so that
 * every bad cell is reported with its file and 1-based line number (counted in the file, header
 * included) and its column, e.g. {@code data.csv, line 7, column 'x2': 'abc' is not a number}.
 * Cells may be surrounded by spaces and double quotes; blank lines are skipped. With a header,
 * the first line of every file is skipped. The layout (column count, names) is read from the
 * first file (by name) when {@link #load} is called.
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
    Path first = firstFile(conf, path);
    String line = firstLine(conf, first);
    if (line == null) {
      throw new DataException("csv data " + first + ": the file is empty");
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
    if (numFeatures > 0 && cells.length - 1 != numFeatures) {
      throw new DataException("csv data " + first + ", line 1: " + (cells.length - 1) + " feature columns, expected "
          + numFeatures + " (numFeatures)");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableWritable<Configuration>> c = jsc.broadcast(new SerializableWritable<>(conf));
    JavaNewHadoopRDD<LongWritable, Text> text = (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(path,
        TextInputFormat.class, LongWritable.class, Text.class, new Configuration(conf));
    JavaRDD<Row> rows = text.mapPartitionsWithInputSplit(
        new Parse(header, sep.charAt(0), label, names, numClasses, c), false);
    return spark.createDataFrame(rows, DataSources.schema(cells.length - 1));
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
    try {
      int i = Integer.parseInt(option.trim());
      if (i >= 0 && i < cells.length) {
        return i;
      }
    } catch (NumberFormatException e) {
      throw new DataException("csv data " + file + ": option label '" + option + "' must be a 0-based column index "
          + "when the file has no header (set header=true to name columns)");
    }
    throw new DataException("csv data " + file + ": label column " + option + " is missing: lines have "
        + cells.length + " columns (0-based indices 0 to " + (cells.length - 1) + ")");
  }

  /** The first data file (by name) of a file, folder or glob; hidden files (_ or .) are skipped. */
  private static Path firstFile(Configuration conf, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(p);
      List<Path> files = new ArrayList<>();
      for (FileStatus s : matched == null ? new FileStatus[0] : matched) {
        for (FileStatus f : s.isDirectory() ? fs.listStatus(s.getPath()) : new FileStatus[] {s}) {
          String n = f.getPath().getName();
          if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
            files.add(f.getPath());
          }
        }
      }
      if (files.isEmpty()) {
        throw new DataException("csv data " + path + ": no file found there");
      }
      files.sort(null);
      return files.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("csv data " + path + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(Configuration conf, Path file) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    InputStream raw = fs.open(file);
    return codec == null ? raw : codec.createInputStream(raw);
  }

  /** The first non-blank line of {@code file}, or null. */
  private static String firstLine(Configuration conf, Path file) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open(conf, file), StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        if (!l.isBlank()) {
          return l;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("csv data " + file + ": " + e.getMessage(), e);
    }
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

  /** Parses one input split into (features, label) rows. */
  private static final class Parse
      implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final boolean header;
    private final char sep;
    private final int label;
    private final String[] names;
    private final int numClasses;
    private final Broadcast<SerializableWritable<Configuration>> conf;

    Parse(boolean header, char sep, int label, String[] names, int numClasses,
          Broadcast<SerializableWritable<Configuration>> conf) {
      this.header = header;
      this.sep = sep;
      this.label = label;
      this.names = names;
      this.numClasses = numClasses;
      this.conf = conf;
    }

    @Override
    public Iterator<Row> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
      FileSplit fs = (FileSplit) split;
      Path file = fs.getPath();
      long start = fs.getStart();
      return new Iterator<>() {
        private long lineInSplit;
        private Row next;

        @Override
        public boolean hasNext() {
          while (next == null && lines.hasNext()) {
            Tuple2<LongWritable, Text> t = lines.next();
            lineInSplit++;
            long offset = t._1().get();
            if (header && offset == 0) {
              continue;
            }
            String line = t._2().toString();
            if (!line.isBlank()) {
              next = parse(line, file, start, offset, lineInSplit);
            }
          }
          return next != null;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row r = next;
          next = null;
          return r;
        }
      };
    }

    private Row parse(String line, Path file, long start, long offset, long lineInSplit) {
      String[] cells = split(line, sep);
      if (cells.length != names.length) {
        throw new DataException(where(file, start, offset, lineInSplit) + ": found " + cells.length
            + " columns, expected " + names.length + " (as the first line of the first file)");
      }
      double[] x = new double[cells.length - 1];
      double y = 0;
      for (int i = 0, j = 0; i < cells.length; i++) {
        double v = number(cells[i], i, file, start, offset, lineInSplit);
        if (i == label) {
          y = v;
        } else {
          x[j++] = v;
        }
      }
      if (numClasses > 0) {
        String bad = RowChecks.checkClass(y, numClasses);
        if (bad != null) {
          throw new DataException(where(file, start, offset, lineInSplit) + ", column " + names[label] + ": " + bad);
        }
      }
      return RowFactory.create(Vectors.dense(x), y);
    }

    private double number(String cell, int col, Path file, long start, long offset, long lineInSplit) {
      String problem;
      if (cell.isEmpty()) {
        problem = "the cell is empty";
      } else {
        try {
          double v = Double.parseDouble(cell);
          if (Double.isFinite(v)) {
            return v;
          }
          problem = "'" + cell + "' is not a finite number";
        } catch (NumberFormatException e) {
          problem = "'" + cell + "' is not a number";
        }
      }
      throw new DataException(where(file, start, offset, lineInSplit) + ", column " + names[col] + ": " + problem);
    }

    /** "FILE, line N" (1-based, header included); lines before the split are counted only on error. */
    private String where(Path file, long start, long offset, long lineInSplit) {
      if (start == 0) {
        return file + ", line " + lineInSplit;
      }
      Configuration c = conf.value().value();
      if (new CompressionCodecFactory(c).getCodec(file) != null) {
        return file + ", line at byte offset " + offset;
      }
      try (InputStream in = file.getFileSystem(c).open(file)) {
        long newlines = 0;
        byte[] buf = new byte[1 << 16];
        long left = offset;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            break;
          }
          for (int i = 0; i < n; i++) {
            newlines += buf[i] == '\n' ? 1 : 0;
          }
          left -= n;
        }
        return file + ", line " + (newlines + 1);
      } catch (IOException e) {
        return file + ", line at byte offset " + offset;
      }
    }
  }
}
