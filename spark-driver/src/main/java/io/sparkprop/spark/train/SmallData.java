package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.PartitionWorker;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.LocalTableScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.AbstractFunction2;

/**
 * The small-data path of the block conversion: data whose samples fit in a few MB is converted
 * (by {@link BlockConverter.Convert}, validated as always) in one job that returns the blocks to
 * the driver, or, for rows the driver already holds (a local relation: {@code createDataFrame} of
 * a list), in the driver with no job, cut into the slices the job would have read. The driver
 * places the samples on the target partitions with the Rebalancer's own rule
 * ({@link Rebalancer#cut}, then block order, then row order: what {@link MappedSamples} reads), so
 * each partition holds the same samples in the same order as on the normal path, and every float
 * of training is the same. When a stage first needs the executors' workers (the
 * barrier stage, or the first step) the partitions go to them in one broadcast, and the workers
 * built from it are cached; steps in the driver thread ({@link DriverGradientSource}) send
 * nothing. This skips the normal path's second stage (the shuffle), its mapped files and its
 * count job. A lost worker is rebuilt from the broadcast, which the driver keeps until
 * {@link Blocks#release}.
 *
 * <p>When it applies: the Spark setting {@value #MAX_BYTES} (default {@value #DEFAULT_MAX_BYTES},
 * a size such as {@code 8m}; {@code 0} turns the path off) bounds the converted samples (4 bytes
 * a value: features or token ids, labels, weights, lengths). The data must be a {@link Dataset}
 * whose plan estimates at most that many bytes (a file's size, a cached table's size; Spark's
 * estimate of an unknown source is huge, so such data takes the normal path), and the conversion
 * must then find at most that many bytes in all: each task stops converting once its partition
 * passes the bound, and the normal path runs instead (reading the data again).
 */
final class SmallData {
  private static final Logger LOG = LoggerFactory.getLogger(SmallData.class);
  /** Spark setting (session or application): the most bytes of converted samples that take this path; 0: never. */
  static final String MAX_BYTES = "spark.sparkprop.smallData.maxBytes";
  static final String DEFAULT_MAX_BYTES = "8m";

  private SmallData() {
  }

  /**
   * Whether {@code df}'s small data may be trained in the driver thread ({@link DriverGradientSource}):
   * local mode and the setting {@value DriverGradientSource#DRIVER_STEPS} not {@code false}.
   */
  static boolean driverSteps(Dataset<Row> df) {
    return df.sparkSession().sparkContext().isLocal()
        && driverStepsSetting(df.sparkSession().conf().get(DriverGradientSource.DRIVER_STEPS, "true"));
  }

  /** The value of {@value DriverGradientSource#DRIVER_STEPS}, {@code true} or {@code false}. */
  static boolean driverStepsSetting(String value) {
    String v = value.trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(DriverGradientSource.DRIVER_STEPS + " must be true or false, got '" + v + "'");
    }
    return v.equalsIgnoreCase("true");
  }

  /** The value of {@value #MAX_BYTES} in bytes (a size such as {@code 8m}). */
  static long maxBytesSetting(String value) {
    try {
      return JavaUtils.byteStringAsBytes(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(MAX_BYTES + " must be a size such as 8m, 512k or 0 (off), got '" + value + "'",
          e);
    }
  }

  /** The byte bound for {@code df}: the setting when the plan's size estimate is within it, else 0. */
  static long budget(Dataset<Row> df) {
    long max = maxBytesSetting(df.sparkSession().conf().get(MAX_BYTES, DEFAULT_MAX_BYTES));
    if (max <= 0) {
      return 0;
    }
    BigInteger estimate = df.queryExecution().optimizedPlan().stats().sizeInBytes().bigInteger();
    return estimate.compareTo(BigInteger.valueOf(max)) <= 0 ? max : 0;
  }

  /**
   * The blocks of {@code df} (its plan's internal rows, one job that hands Spark no Scala lambda:
   * {@link Jobs}) built on the driver, or null when the converted samples pass {@code maxBytes}
   * (in one partition or in all); then nothing is kept and the caller takes the normal path. The
   * executors' workers are built from a broadcast of the partitions when a stage first needs them
   * ({@link Blocks#workers}); with {@code driverSteps} (local mode, the setting on) the blocks
   * also offer the driver's partitions, when small enough, to {@link DriverGradientSource}, and a
   * run that keeps its steps in the driver sends nothing.
   *
   * @throws io.sparkprop.core.data.DataException as the normal path: naming {@code source}, the
   *     partition and row of a bad value, or when there is no row
   */
  static Blocks collect(Dataset<Row> df, RowFormat format, Sequential arch, Loss loss, int partitions, long seed,
                        String source, long maxBytes, boolean driverSteps) {
    long t0 = System.nanoTime();
    // blocks of at most the bound, so that a task stops near it (how rows are cut into blocks changes no float)
    int blockBytes = (int) Math.min(BlockConverter.BLOCK_BYTES, maxBytes);
    BlockConverter.Convert convert = new BlockConverter.Convert(format, arch, loss, source, blockBytes);
    SparkPlan plan = df.queryExecution().executedPlan();
    boolean held = plan instanceof LocalTableScanExec;
    List<DataSet[]> input;
    try {
      input = held ? convertHeld((LocalTableScanExec) plan, df, convert, maxBytes)
          : Jobs.run(df.sparkSession().sparkContext(), df.queryExecution().toRdd(),
              new Collect(convert, df.schema(), maxBytes), DataSet[].class);
    } catch (DataException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked in Java's eyes but not declared by Scala
      throw BlockConverter.unwrap(e, source);
    }
    long bytes = 0;
    for (DataSet[] blocks : input) {
      if (blocks == null) {
        return over(source, "one partition holds", maxBytes);
      }
      for (DataSet d : blocks) {
        bytes += bytes(d);
      }
    }
    if (bytes > maxBytes) {
      return over(source, "the " + input.size() + " partitions hold", maxBytes);
    }
    List<List<Rebalancer.Piece>> pieces = new ArrayList<>();
    for (int t = 0; t < partitions; t++) {
      pieces.add(new ArrayList<>());
    }
    boolean keep = partitions == input.size();
    for (int i = 0; i < input.size(); i++) { // input partition, then block: the order MappedSamples reads
      long offset = 0;
      DataSet[] blocks = input.get(i);
      for (int seq = 0; seq < blocks.length; seq++) {
        Rebalancer.cut(i, seq, offset, blocks[seq], partitions, keep, (t, p) -> pieces.get(t).add(p));
        offset += blocks[seq].size();
      }
    }
    DataSet[] parts = new DataSet[partitions];
    int[] sizes = new int[partitions];
    long total = 0;
    for (int t = 0; t < partitions; t++) {
      parts[t] = join(pieces.get(t), format, arch);
      sizes[t] = parts[t].size();
      total += sizes[t];
    }
    if (total == 0) {
      throw BlockConverter.empty(source, partitions);
    }
    LOG.info("{}: {} samples ({} MB) in {} partitions {}, small data: converted {}, held by the driver"
            + " (no shuffle), in {} s", source, total, String.format(java.util.Locale.ROOT, "%.2f", bytes / 1048576.0),
        partitions, held ? "in the driver (rows it holds: a local relation)" : "in one job", java.util.Arrays.toString(sizes),
        String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - t0) / 1e9));
    Blocks.Local local = new Blocks.Local(parts, arch, loss, seed);
    return new Blocks(JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext()), source, local, sizes, total,
        driverSteps && DriverGradientSource.fits(total, arch.paramCount()));
  }

  /**
   * The blocks of a local relation's rows, which the driver holds ({@code createDataFrame} of a
   * list, and projections of it), converted in the driver thread with no job. The rows are cut
   * into the partitions of the scan's own RDD as Spark's parallelised collections cut a sequence
   * (slice {@code i} of {@code s} holds rows {@code [i n / s, (i + 1) n / s)}), so the blocks,
   * and every float of training, are those the job would have made.
   */
  private static List<DataSet[]> convertHeld(LocalTableScanExec plan, Dataset<Row> df, BlockConverter.Convert convert,
                                             long maxBytes) {
    InternalRow[] rows = (InternalRow[]) plan.executeCollect(); // the scan's own rows: no job
    int slices = heldSlices(rows.length, df.sparkSession());
    List<DataSet[]> out = new ArrayList<>(slices);
    long n = rows.length;
    for (int i = 0; i < slices; i++) {
      int from = (int) (i * n / slices);
      int to = (int) ((i + 1) * n / slices);
      Iterator<InternalRow> slice = java.util.Arrays.asList(rows).subList(from, to).iterator();
      out.add(Collect.blocks(convert, i, new BlockConverter.ToRows(df.schema()).call(slice), maxBytes));
    }
    return out;
  }

  /**
   * The partitions of a local relation's scan of {@code rows} rows: none when empty, else one a
   * row up to Spark SQL's parallelism of leaf scans ({@code spark.sql.leafNodeDefaultParallelism},
   * by default the context's default parallelism). Asking the scan's RDD gives the same number
   * ({@code SmallDataTest} checks) but builds it, with a Scala closure to clean: 3 ms a fit.
   */
  static int heldSlices(int rows, org.apache.spark.sql.SparkSession session) {
    String leaf = session.conf().get("spark.sql.leafNodeDefaultParallelism", null);
    int parallelism = leaf != null ? Integer.parseInt(leaf.trim()) : session.sparkContext().defaultParallelism();
    return rows == 0 ? 0 : Math.min(rows, parallelism);
  }

  /**
   * The executors' workers of {@code local}'s partitions, sent in {@code data} (the broadcast of
   * {@code local.parts()}): each built by the first job that needs it and cached; a lost worker
   * is rebuilt from the broadcast, which the caller destroys with the workers.
   */
  static JavaRDD<PartitionWorker> workers(JavaSparkContext jsc, Broadcast<DataSet[]> data, Blocks.Local local,
                                          String source) {
    List<Integer> index = new ArrayList<>();
    for (int t = 0; t < local.parts().length; t++) {
      index.add(t);
    }
    return jsc.parallelize(index, local.parts().length)
        .mapPartitionsWithIndex(new Build(data, local.arch(), local.loss(), local.seed()), true)
        .persist(StorageLevel.MEMORY_ONLY())
        .setName(source + " workers (small data, from a broadcast)");
  }

  private static Blocks over(String source, String what, long maxBytes) {
    LOG.info("{}: {} more than {} ({}) bytes of samples: converting it as large data", source, what, MAX_BYTES,
        maxBytes);
    return null;
  }

  /** Bytes of {@code d}'s samples: 4 a value (features or token ids, labels, weight, length). */
  private static long bytes(DataSet d) {
    int words = d.featureSize() + d.labelWidth() + (d.isWeighted() ? 1 : 0) + (d.hasLengths() ? 1 : 0);
    return 4L * d.size() * words;
  }

  /** {@code pieces} of one partition, in their order, as one data set of the format's kind. */
  private static DataSet join(List<Rebalancer.Piece> pieces, RowFormat format, Sequential arch) {
    int f = format.featureSize();
    int lw = format.labelWidth();
    boolean tokens = format.tokens();
    int n = 0;
    for (Rebalancer.Piece p : pieces) {
      n += p.count();
    }
    float[] x = new float[tokens ? 0 : n * f];
    int[] ids = tokens ? new int[n * f] : null;
    int[] lengths = tokens ? new int[n] : null;
    float[] y = new float[n * lw];
    float[] w = format.weighted() ? new float[n] : null;
    int at = 0;
    for (Rebalancer.Piece p : pieces) {
      int c = p.count();
      if (tokens) {
        System.arraycopy(p.tokens(), 0, ids, at * f, c * f);
        System.arraycopy(p.lengths(), 0, lengths, at, c);
      } else {
        System.arraycopy(p.features(), 0, x, at * f, c * f);
      }
      System.arraycopy(p.labels(), 0, y, at * lw, c * lw);
      if (w != null) {
        System.arraycopy(p.weights(), 0, w, at, c);
      }
      at += c;
    }
    DataSet d = tokens ? DataSet.ofTokens(f, lw, n, ids, y, lengths) : new DataSet(arch.inputShape(), lw, n, x, y);
    return w == null ? d : d.withWeights(w);
  }

  /** Converts one input partition (internal rows) into its blocks, or null once they pass the bound. */
  private static final class Collect
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<InternalRow>, DataSet[]> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final BlockConverter.Convert convert;
    private final StructType schema;
    private final long maxBytes;

    Collect(BlockConverter.Convert convert, StructType schema, long maxBytes) {
      this.convert = convert;
      this.schema = schema;
      this.maxBytes = maxBytes;
    }

    @Override
    public DataSet[] apply(TaskContext context, scala.collection.Iterator<InternalRow> in) {
      Iterator<Row> rows = new BlockConverter.ToRows(schema).call(scala.jdk.javaapi.CollectionConverters.asJava(in));
      return blocks(convert, context.partitionId(), rows, maxBytes);
    }

    /** Partition {@code partition}'s blocks, or null once they pass {@code maxBytes}. */
    static DataSet[] blocks(BlockConverter.Convert convert, int partition, Iterator<Row> rows, long maxBytes) {
      Iterator<DataSet> blocks = convert.call(partition, rows);
      List<DataSet> out = new ArrayList<>();
      long bytes = 0;
      while (blocks.hasNext()) {
        DataSet d = blocks.next();
        bytes += bytes(d);
        if (bytes > maxBytes) {
          return null;
        }
        out.add(d);
      }
      return out.toArray(new DataSet[0]);
    }
  }

  /** The worker of partition {@code p}, over its samples in the broadcast. */
  private static final class Build implements Function2<Integer, Iterator<Integer>, Iterator<PartitionWorker>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<DataSet[]> data;
    private final Sequential arch;
    private final Loss loss;
    private final long seed;

    Build(Broadcast<DataSet[]> data, Sequential arch, Loss loss, long seed) {
      this.data = data;
      this.arch = arch;
      this.loss = loss;
      this.seed = seed;
    }

    @Override
    public Iterator<PartitionWorker> call(Integer partition, Iterator<Integer> ignored) {
      return Collections.singletonList(new PartitionWorker(arch, loss, data.value()[partition], partition, seed))
          .iterator();
    }
  }
}
