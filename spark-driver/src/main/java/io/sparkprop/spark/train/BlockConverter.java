package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.PartitionWorker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts rows into cached blocks, once. Each input partition is read into a sequence of capped
 * {@link DataSet} blocks of at most {@code blockBytes} (4 MB by default; features and labels in
 * float arrays, token ids as ints with lengths from their trailing padding when the model starts
 * with an Embedding, sample weights when the format has a weight column), produced one at a time
 * and checked with {@link DataSet#checkFits} inside the conversion job, so a task holds a few
 * blocks whatever the size of its input split. The blocks pass through one shuffle
 * ({@link Rebalancer}: spread deterministically onto the target partitions), which also cuts the
 * lineage; each resulting partition {@code p} is written to a memory-mapped local file
 * ({@link MappedSamples}) and becomes a {@link PartitionWorker} with partition index {@code p},
 * cached in memory (MEMORY_ONLY, deserialised: the network workspaces, 4 bytes a sample of row
 * index, the mapping) and reused by every step.
 *
 * <p>Why mapped files rather than Spark's serialized MEMORY_AND_DISK blocks: a step takes a
 * random slice of each partition's epoch permutation (the order the single-JVM trainer uses,
 * which keeps results bit-identical), so its 512 rows are spread over the whole partition. With
 * serialized blocks every step deserialized whole blocks to use a few rows of each (1.4 GB read
 * per step at 600,000 rows, 5.9 s a step); with a mapping it copies just its rows from the page
 * cache, and data larger than the executors' heap stays out of the heap. If a worker is lost
 * (an executor dies, or its cached handle is evicted) Spark rebuilds it from the shuffle's
 * output, or from the source when that is gone too. The log says how many MB went to the
 * executors' local disks and how much memory the operating systems had left to cache them.
 */
final class BlockConverter {
  private static final Logger LOG = LoggerFactory.getLogger(BlockConverter.class);
  /** Cap of a converted block: bounds what a conversion task holds, whatever its input split. */
  static final int BLOCK_BYTES = 4 << 20;

  private BlockConverter() {
  }

  /**
   * Converts {@code rows} into {@code partitions} cached blocks, validated for
   * {@code architecture} and {@code loss} (both travel to the executors inside the tasks), with
   * worker seeds from {@code seed}.
   *
   * @param source names the data in messages ("training data")
   * @throws DataException naming the source, input partition and row of the first bad value
   *     found, or when there is no row at all
   */
  public static Blocks convert(JavaRDD<Row> rows, RowFormat format, Sequential architecture, Loss loss, int partitions, long seed,
                               String source) {
    return convert(rows, format, architecture, loss, partitions, seed, source, BLOCK_BYTES, MappedSamples.SEGMENT_BYTES);
  }

  /** As above with blocks of at most {@code blockBytes} and mapped segments of at most {@code segmentBytes}. */
  static Blocks convert(JavaRDD<Row> rows, RowFormat format, Sequential architecture, Loss loss, int partitions,
                        long seed, String source, int blockBytes, long segmentBytes) {
    JavaRDD<DataSet> converted = rows.mapPartitionsWithIndex(new Convert(format, architecture, loss, source,
        blockBytes), true);
    JavaRDD<Rebalancer.Piece> pieces = Rebalancer.rebalance(converted, partitions);
    JavaRDD<PartitionWorker> workers = pieces.mapPartitionsWithIndex(new Store(format, architecture, loss, seed,
            segmentBytes), true)
        .persist(StorageLevel.MEMORY_ONLY())
        .setName(source + " workers (samples in mapped local files)");
    long t0 = System.nanoTime();
    List<long[]> parts;
    try {
      parts = Jobs.collect(workers.context(), workers.map(BlockConverter::describe).rdd());
    } catch (Exception e) { // SparkException is checked in Java's eyes but not declared by Scala
      workers.unpersist(false);
      throw unwrap(e, source);
    }
    int[] s = new int[parts.size()];
    long total = 0;
    for (int i = 0; i < s.length; i++) {
      s[i] = (int) parts.get(i)[0];
      total += s[i];
    }
    if (total == 0) {
      workers.unpersist(false);
      throw empty(source, s.length);
    }
    reportStorage(workers, parts, source);
    LOG.info("{}: {} samples in {} cached partitions {}, converted in {} s", source, total, s.length,
        Arrays.toString(s), String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    return new Blocks(workers, s, total);
  }

  /**
   * The rows of {@code df} for the conversion: its physical plan's internal rows, each turned into
   * a {@link Row} on the executors by Spark's interpreted converter. {@code df.javaRDD()} gives the
   * same values in the same partitions but first plans and generates code for a deserializing
   * copy of the query, 20 to 90 ms per data set and fit on a 2-core machine, more than converting
   * a small table takes; this shares the plan that {@link SmallData#budget} estimated.
   */
  static JavaRDD<Row> rows(Dataset<Row> df) {
    return df.queryExecution().toRdd().toJavaRDD().mapPartitions(new ToRows(df.schema()), true);
  }

  /** Internal rows of {@code schema} to rows (vectors, arrays and numbers as a data frame's rows hold them). */
  static final class ToRows implements FlatMapFunction<Iterator<InternalRow>, Row> {
    private static final long serialVersionUID = 1L;
    private final StructType schema;

    ToRows(StructType schema) {
      this.schema = schema;
    }

    @Override
    public Iterator<Row> call(Iterator<InternalRow> in) {
      scala.Function1<Object, Object> convert = CatalystTypeConverters.createToScalaConverter(schema);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return in.hasNext();
        }

        @Override
        public Row next() {
          return (Row) convert.apply(in.next()); // a new row: the internal one may be reused by the next call
        }
      };
    }
  }

  /** The error for data without a row, spread over {@code partitions} partitions. */
  static DataException empty(String source, int partitions) {
    return new DataException(source + ": the data set is empty (no rows in any of its " + partitions + " partitions)");
  }

  /** {samples, mapped bytes, executor id (a number, -1 for the driver), MemAvailable bytes of its host}. */
  private static long[] describe(PartitionWorker w) {
    long bytes = w.data() instanceof MappedSamples m ? m.bytes() : 0;
    String id = SparkEnv.get().executorId();
    long exec = id.chars().allMatch(Character::isDigit) ? Long.parseLong(id) : -1;
    return new long[] {w.data().size(), bytes, exec, memAvailable()};
  }

  /** The host's MemAvailable (what the page cache can grow to), or -1 where /proc/meminfo is not readable. */
  private static long memAvailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The {@link DataException} thrown by a conversion task, without Spark's wrapping (so the user
   * reads "training data, partition 1, row 3: ..."), or the Spark failure itself.
   */
  public static RuntimeException unwrap(Exception e, String source) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof DataException d) {
        return new DataException(d.getMessage(), e);
      }
    }
    return e instanceof RuntimeException r ? r
        : new IllegalStateException(source + ": the Spark job failed: " + e.getMessage(), e);
  }

  /**
   * Logs the MB of samples in mapped files on each executor's local disk, and warns when they are
   * more than the host's available memory (then steps read part of them from disk: they spilled)
   * or when a worker did not stay cached (it is rebuilt from the shuffle output when next used).
   */
  private static void reportStorage(JavaRDD<?> workers, List<long[]> parts, String source) {
    Map<Long, long[]> byExecutor = new TreeMap<>(); // executor -> {bytes, memAvailable}
    long total = 0;
    for (long[] p : parts) {
      long[] e = byExecutor.computeIfAbsent(p[2], k -> new long[] {0, p[3]});
      e[0] += p[1];
      total += p[1];
    }
    StringBuilder where = new StringBuilder();
    boolean spilled = false;
    for (Map.Entry<Long, long[]> e : byExecutor.entrySet()) {
      long[] v = e.getValue();
      where.append(where.length() == 0 ? "" : ", ").append(e.getKey() < 0 ? "driver" : "executor " + e.getKey())
          .append(' ').append(mb(v[0])).append(" MB (host memory available ").append(v[1] < 0 ? "?" : mb(v[1]))
          .append(" MB)");
      spilled |= v[1] >= 0 && v[0] > v[1];
    }
    if (spilled) {
      LOG.warn("{}: blocks spilled to disk: {} MB of samples in memory-mapped local files [{}], more than the "
          + "memory available to cache them: steps read part of their rows from local disk", source, mb(total), where);
    } else {
      LOG.info("{}: blocks: {} MB of samples in memory-mapped local files [{}], outside the JVM heap; none spilled "
          + "(the page cache can hold them)", source, mb(total), where);
    }
    for (RDDInfo info : workers.context().getRDDStorageInfo()) {
      if (info.id() == workers.id()) {
        if (info.numCachedPartitions() < info.numPartitions()) {
          LOG.warn("{}: only {} of {} worker partitions stayed in executor memory; the others are rebuilt from the "
              + "shuffle output when used. Give the executors more memory for speed.", source,
              info.numCachedPartitions(), info.numPartitions());
        } else {
          LOG.info("{}: workers in executor memory: {} MB ({} partitions)", source, mb(info.memSize()),
              info.numPartitions());
        }
      }
    }
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  /** Reads one input partition into capped blocks, lazily, and checks each. */
  static final class Convert implements Function2<Integer, Iterator<Row>, Iterator<DataSet>> {
    private static final long serialVersionUID = 1L;
    private final RowFormat format;
    private final Sequential arch;
    private final Loss loss;
    private final String source;
    private final int blockBytes;

    Convert(RowFormat format, Sequential arch, Loss loss, String source, int blockBytes) {
      this.format = format;
      this.arch = arch;
      this.loss = loss;
      this.source = source;
      this.blockBytes = blockBytes;
    }

    @Override
    public Iterator<DataSet> call(Integer partition, Iterator<Row> rows) {
      String where = source + ", partition " + partition;
      int f = format.featureSize();
      int lw = format.labelWidth();
      int cap = (int) Math.max(1, blockBytes / (4L * (f + lw + 1)));
      return new Iterator<>() {
        private long first; // row number in the partition of the next block's row 0
        private boolean any;

        @Override
        public boolean hasNext() {
          return rows.hasNext() || !any; // an empty partition still yields one (empty, checked) block
        }

        @Override
        public DataSet next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          any = true;
          DataSet d = block(rows, cap, first, where);
          first += d.size();
          return d;
        }
      };
    }

    /** The next at most {@code cap} rows, whose first is row {@code first} of the partition. */
    private DataSet block(Iterator<Row> rows, int cap, long first, String where) {
      int f = format.featureSize();
      int lw = format.labelWidth();
      boolean tokens = format.tokens();
      float[] x = new float[tokens ? 0 : f * 16];
      int[] ids = new int[tokens ? f * 16 : 0];
      float[] y = new float[lw * 16];
      float[] w = format.weighted() ? new float[16] : null;
      int n = 0;
      while (n < cap && rows.hasNext()) {
        Row row = rows.next();
        if (!tokens && (n + 1) * f > x.length) {
          x = Arrays.copyOf(x, (int) Math.min((long) cap * f, 2L * x.length + f));
        }
        if (tokens && (n + 1) * f > ids.length) {
          ids = Arrays.copyOf(ids, (int) Math.min((long) cap * f, 2L * ids.length + f));
        }
        if ((n + 1) * lw > y.length) {
          y = Arrays.copyOf(y, (int) Math.min((long) cap * lw, 2L * y.length + lw));
        }
        if (w != null && n + 1 > w.length) {
          w = Arrays.copyOf(w, Math.min(cap, 2 * w.length + 1));
        }
        int r = (int) Math.min(Integer.MAX_VALUE, first + n); // row number in messages
        if (tokens) {
          format.readTokens(row, ids, n * f, where, r);
        } else {
          format.readFeatures(row, x, n * f, where, r);
        }
        format.readLabel(row, y, n * lw, where, r);
        if (w != null) {
          w[n] = format.readWeight(row, where, r);
        }
        n++;
      }
      DataSet d = tokens
          ? DataSet.ofTokens(f, lw, n, Arrays.copyOf(ids, n * f), Arrays.copyOf(y, n * lw), null)
          : new DataSet(arch.inputShape(), lw, n, Arrays.copyOf(x, n * f), Arrays.copyOf(y, n * lw));
      if (w != null) {
        d = d.withWeights(Arrays.copyOf(w, n));
      }
      d.checkFits(arch, loss, where, first);
      return d;
    }
  }

  /** Writes partition {@code p}'s pieces to a mapped local file and wraps it into its worker. */
  private static final class Store implements Function2<Integer, Iterator<Rebalancer.Piece>, Iterator<PartitionWorker>> {
    private static final long serialVersionUID = 1L;
    private final RowFormat format;
    private final Sequential arch;
    private final Loss loss;
    private final long seed;
    private final long segmentBytes;

    Store(RowFormat format, Sequential arch, Loss loss, long seed, long segmentBytes) {
      this.format = format;
      this.arch = arch;
      this.loss = loss;
      this.seed = seed;
      this.segmentBytes = segmentBytes;
    }

    @Override
    public Iterator<PartitionWorker> call(Integer partition, Iterator<Rebalancer.Piece> pieces) {
      // a file in Spark's local directories (spark.local.dir), which Spark removes when the executor stops
      File file = SparkEnv.get().blockManager().diskBlockManager().createTempLocalBlock()._2();
      MappedSamples.Writer out = new MappedSamples.Writer(file, format.featureSize(), format.labelWidth(),
          format.tokens(), format.tokens(), format.weighted(), segmentBytes);
      while (pieces.hasNext()) {
        out.add(pieces.next());
      }
      return Collections.singletonList(new PartitionWorker(arch, loss, out.finish(), partition, seed)).iterator();
    }
  }
}
