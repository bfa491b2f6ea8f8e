package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * IDX images (unsigned bytes, plain or gzip) and their labels, read by the executors: the
 * driver reads only the two headers (counts and dimensions); partition {@code p} of {@code P}
 * streams items {@code [p·n/P, (p+1)·n/P)} of both files (skipping the items before them), so no
 * image passes through the driver. Pixels are scaled to [0, 1] (byte/255).
 */
final class IdxRows {
  private IdxRows() {
  }

  /** The dimensions of an IDX file and where its items start. */
  record Header(int[] dims, long itemSize) implements Serializable {
    int count() {
      return dims[0];
    }
  }

  static Dataset<Row> load(SparkSession spark, String images, String labels, int numFeatures, int numClasses) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Header x = header(conf, images);
    Header y = header(conf, labels);
    if (x.dims().length < 2) {
      throw new DataException("idx data " + images + ": dimensions " + Arrays.toString(x.dims())
          + ", expected images (count, rows, columns)");
    }
    if (y.dims().length != 1) {
      throw new DataException("idx data " + labels + ": dimensions " + Arrays.toString(y.dims())
          + ", expected labels (count)");
    }
    if (x.count() != y.count()) {
      throw new DataException("idx data " + images + " holds " + x.count() + " images but " + labels + " holds "
          + y.count() + " labels");
    }
    if (x.count() == 0) {
      throw new DataException("idx data " + images + ": the file holds no image");
    }
    if (numFeatures > 0 && x.itemSize() != numFeatures) {
      throw new DataException("idx data " + images + ": images have " + x.itemSize() + " pixels, expected "
          + numFeatures + " (numFeatures)");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int parts = Math.max(1, Math.min(jsc.defaultParallelism(), x.count()));
    List<Integer> index = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      index.add(p);
    }
    Broadcast<SerializableWritable<Configuration>> c = jsc.broadcast(new SerializableWritable<>(conf));
    JavaRDD<Row> rows = jsc.parallelize(index, parts)
        .flatMap(new Slice(images, labels, x, parts, numClasses, c));
    return spark.createDataFrame(rows, DataSources.schema((int) x.itemSize()));
  }

  /** Opens {@code path}, un-gzipping when it starts with the gzip magic bytes. */
  private static DataInputStream open(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    BufferedInputStream b = new BufferedInputStream(fs.open(p), 1 << 16);
    b.mark(2);
    boolean gzip = b.read() == 0x1f && b.read() == 0x8b;
    b.reset();
    return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16) : b);
  }

  private static Header readHeader(DataInputStream in, String path) throws IOException {
    int magic = in.readInt();
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0 || rank == 0 || rank > 16) {
      throw new DataException(String.format("idx data %s: not an IDX file (magic number 0x%08X)", path, magic));
    }
    if (((magic >>> 8) & 0xff) != 0x08) {
      throw new DataException(String.format("idx data %s: element type 0x%02X is not supported, only 0x08 "
          + "(unsigned byte)", path, (magic >>> 8) & 0xff));
    }
    int[] dims = new int[rank];
    long item = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new DataException("idx data " + path + ": negative dimension " + dims[i]);
      }
      item *= i == 0 ? 1 : dims[i];
    }
    return new Header(dims, item);
  }

  private static Header header(Configuration conf, String path) {
    try (DataInputStream in = open(conf, path)) {
      return readHeader(in, path);
    } catch (EOFException e) {
      throw new DataException("idx data " + path + ": the file ends inside its header");
    } catch (java.io.FileNotFoundException e) {
      throw new DataException("idx data " + path + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("idx data " + path + ": " + e.getMessage(), e);
    }
  }

  /** Partition {@code p}'s images and labels as rows. */
  private record Slice(String images, String labels, Header x, int parts, int numClasses,
                       Broadcast<SerializableWritable<Configuration>> conf) implements FlatMapFunction<Integer, Row> {
    @Override
    public java.util.Iterator<Row> call(Integer p) throws IOException {
      int n = x.count();
      int from = (int) ((long) p * n / parts);
      int to = (int) ((long) (p + 1) * n / parts);
      int f = (int) x.itemSize();
      Configuration c = conf.value().value();
      byte[] pixels = new byte[(to - from) * f];
      byte[] classes = new byte[to - from];
      try (DataInputStream xi = open(c, images); DataInputStream yi = open(c, labels)) {
        readHeader(xi, images);
        readHeader(yi, labels);
        xi.skipNBytes((long) from * f);
        yi.skipNBytes(from);
        xi.readFully(pixels);
        yi.readFully(classes);
      } catch (EOFException e) {
        throw new DataException("idx data " + images + " / " + labels + ": the files end before item " + to
            + " their headers promise (truncated)");
      }
      List<Row> out = new ArrayList<>(to - from);
      for (int i = 0; i < to - from; i++) {
        double[] v = new double[f];
        for (int j = 0; j < f; j++) {
          v[j] = (pixels[i * f + j] & 0xff) / 255f;
        }
        double label = classes[i] & 0xff;
        if (numClasses > 0) {
          String bad = RowChecks.checkClass(label, numClasses);
          if (bad != null) {
            throw new DataException("idx data " + labels + ", item " + (from + i) + ": " + bad);
          }
        }
        out.add(RowFactory.create(Vectors.dense(v), label));
      }
      return out.iterator();
    }
  }
}
