package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Text files read line by line on the executors with Hadoop's {@link TextInputFormat}
 * (splittable, any file system, compressed files by extension), each non-blank line parsed into
 * a row by a {@link LineParser} that names its location as "FILE, line N" (1-based, counted in
 * the file; lines before a split are counted only when an error is reported).
 */
final class TextLines {
  /** A decimal number as people write it: no hex, no type suffix ({@code 5d}), no NaN/Infinity words. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private TextLines() {
  }

  /** Turns one line into a row, or throws a {@link DataException} starting with {@code where}. */
  interface LineParser extends Serializable {
    Row parse(String line, String file, Where where);
  }

  /** The location of the line being parsed, computed only for messages. */
  interface Where {
    String text();
  }

  /** {@code cell} as a finite number, or the reason it is not one (null result means: see {@code problem[0]}). */
  static double number(String cell, String[] problem) {
    if (cell.isEmpty()) {
      problem[0] = "the cell is empty";
      return Double.NaN;
    }
    if (!DECIMAL.matcher(cell).matches()) {
      String l = cell.toLowerCase(java.util.Locale.ROOT);
      problem[0] = "'" + cell + "' is not " + (l.matches("[+-]?(nan|inf|infinity)") ? "a finite number" : "a number");
      return Double.NaN;
    }
    double v = Double.parseDouble(cell);
    if (!Double.isFinite(v)) {
      problem[0] = "'" + cell + "' is not a finite number";
    }
    return v;
  }

  /** The data files of a file, folder or glob, sorted; hidden files (_ or .) skipped. */
  static List<Path> files(Configuration conf, String path, String what) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(p);
      if (matched == null || matched.length == 0) {
        throw new DataException(what + " " + path + ": no such file or folder");
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus s : matched) {
        for (FileStatus f : s.isDirectory() ? fs.listStatus(s.getPath()) : new FileStatus[] {s}) {
          String n = f.getPath().getName();
          if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
            files.add(f.getPath());
          }
        }
      }
      if (files.isEmpty()) {
        throw new DataException(what + " " + path + ": the folder holds no data file");
      }
      files.sort(null);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(what + " " + path + ": " + e.getMessage(), e);
    }
  }

  static InputStream open(Configuration conf, Path file) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    InputStream raw = fs.open(file);
    return codec == null ? raw : codec.createInputStream(raw);
  }

  /** The first non-blank line of the first non-empty file, or null when all are empty. */
  static String firstLine(Configuration conf, List<Path> files, String what) {
    List<String> l = firstLines(conf, files, what, 1);
    return l.isEmpty() ? null : l.get(0);
  }

  /** Up to {@code n} non-blank lines from the start of the first file that has any (empty: none has). */
  static List<String> firstLines(Configuration conf, List<Path> files, String what, int n) {
    for (Path file : files) {
      List<String> out = new java.util.ArrayList<>(n);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(open(conf, file), StandardCharsets.UTF_8))) {
        String l;
        while (out.size() < n && (l = r.readLine()) != null) {
          if (!l.isBlank()) {
            out.add(l);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(what + " " + file + ": " + e.getMessage(), e);
      }
      if (!out.isEmpty()) {
        return out;
      }
    }
    return List.of();
  }


  /** The rows of every non-blank line of {@code path} (the first line of each file skipped when {@code header}). */
  static JavaRDD<Row> rows(SparkSession spark, String path, boolean header, LineParser parser) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableWritable<Configuration>> c = jsc.broadcast(new SerializableWritable<>(conf));
    JavaNewHadoopRDD<LongWritable, Text> text = (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(path,
        TextInputFormat.class, LongWritable.class, Text.class, new Configuration(conf));
    return text.mapPartitionsWithInputSplit(new Parse(header, parser, c), false);
  }

  /** Parses one input split. */
  private static final class Parse
      implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final boolean header;
    private final LineParser parser;
    private final Broadcast<SerializableWritable<Configuration>> conf;

    Parse(boolean header, LineParser parser, Broadcast<SerializableWritable<Configuration>> conf) {
      this.header = header;
      this.parser = parser;
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
              long n = lineInSplit;
              next = parser.parse(line, file.toString(), () -> where(file, start, offset, n));
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
