package io.sparkprop.benchmarks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes an augmented Fashion-MNIST of N rows to Parquet, with Spark (the scale benchmark's data,
 * {@code benchmarks/scale.sh}). Row {@code i < 60,000} is training image {@code i} as it is; row
 * {@code i >= 60,000} is training image {@code i mod 60,000} shifted by a seeded random
 * {@code (dx, dy)} in {@code [-2, 2]²} (zero fill) and flipped horizontally with probability 1/2,
 * from a generator seeded by {@code (seed, i)}: the same N and seed give the same rows whatever the
 * partitioning. Columns: {@code features} (array&lt;float&gt;, pixel/255 as the IDX reader gives) and
 * {@code label} (double). The 47 MB of source pixels are read on the driver and broadcast once;
 * the executors generate and write the rows.
 *
 * <p>Usage: {@code AugmentFashion TRAIN_IMAGES TRAIN_LABELS N OUTPUT_DIR [PARTITIONS] [SEED]}
 * (gzip or plain IDX files; OUTPUT_DIR is replaced). Prints {@code wrote N rows in S s}.
 */
public final class AugmentFashion {
  private static final int SIDE = 28;
  private static final int PIXELS = SIDE * SIDE;

  private AugmentFashion() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: AugmentFashion TRAIN_IMAGES TRAIN_LABELS N OUTPUT_DIR [PARTITIONS] [SEED]");
      System.exit(2);
    }
    byte[] images = idx(Path.of(args[0]), 0x00000803);
    byte[] labels = idx(Path.of(args[1]), 0x00000801);
    long n = Long.parseLong(args[2]);
    String out = args[3];
    int sources = labels.length;
    if (images.length != sources * PIXELS) {
      throw new IllegalArgumentException(args[0] + ": " + images.length + " pixel bytes for " + sources + " labels");
    }
    // About 64 MB of floats per partition (in memory while a task writes its rows, as Parquet pages).
    int partitions = args.length > 4 ? Integer.parseInt(args[4]) : (int) Math.max(2, (n * PIXELS * 4) >> 26);
    long seed = args.length > 5 ? Long.parseLong(args[5]) : 42L;

    SparkSession spark = SparkSession.builder().appName("augment-fashion-" + n).getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<byte[]> px = jsc.broadcast(images);
      Broadcast<byte[]> lb = jsc.broadcast(labels);
      StructType schema = new StructType()
          .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add("label", DataTypes.DoubleType, false);
      long t0 = System.nanoTime();
      Dataset<Long> ids = spark.range(0, n, 1, partitions);
      Dataset<Row> rows = ids.mapPartitions(new Generate(px, lb, seed), Encoders.row(schema));
      rows.write().mode(SaveMode.Overwrite).parquet(out);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "wrote %d rows in %d partitions to %s in %.1f s%n", n, partitions, out, s);
      px.destroy();
      lb.destroy();
    } finally {
      spark.stop();
    }
  }

  /** Generates the rows of one range partition. */
  private static final class Generate implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> images;
    private final Broadcast<byte[]> labels;
    private final long seed;

    Generate(Broadcast<byte[]> images, Broadcast<byte[]> labels, long seed) {
      this.images = images;
      this.labels = labels;
      this.seed = seed;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> ids) {
      byte[] px = images.value();
      byte[] lb = labels.value();
      int sources = lb.length;
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          long i = ids.next();
          int src = (int) (i % sources);
          float[] f = new float[PIXELS];
          int dx = 0;
          int dy = 0;
          boolean flip = false;
          if (i >= sources) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            dx = r.nextInt(5) - 2;
            dy = r.nextInt(5) - 2;
            flip = r.nextBoolean();
          }
          int base = src * PIXELS;
          for (int y = 0; y < SIDE; y++) {
            int sy = y - dy;
            if (sy < 0 || sy >= SIDE) {
              continue;
            }
            for (int x = 0; x < SIDE; x++) {
              int sx = (flip ? SIDE - 1 - x : x) - dx;
              if (sx >= 0 && sx < SIDE) {
                f[y * SIDE + x] = (px[base + sy * SIDE + sx] & 0xff) / 255f;
              }
            }
          }
          return RowFactory.create(f, (double) (lb[src] & 0xff));
        }
      };
    }
  }

  /** The data bytes of an IDX file (gzip or plain) after checking its magic number. */
  static byte[] idx(Path file, int magic) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
         DataInputStream d = new DataInputStream(in)) {
      int m = d.readInt();
      if (m != magic) {
        throw new IOException(file + ": magic " + Integer.toHexString(m) + ", expected " + Integer.toHexString(magic));
      }
      int dims = m & 0xff;
      long size = 1;
      for (int k = 0; k < dims; k++) {
        size *= d.readInt();
      }
      byte[] data = new byte[Math.toIntExact(size)];
      d.readFully(data);
      return data;
    }
  }
}
