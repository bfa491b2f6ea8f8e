package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.PartitionWorker;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts rows into cached dense blocks, once: each input partition is read into one
 * {@link DataSet} (features and labels in two float arrays; token ids as ints, with lengths from
 * their trailing padding, when the model starts with an Embedding; sample weights as a third
 * float array when the format has a weight column) and checked with
 * {@link DataSet#checkFits} inside the conversion job; the blocks pass through one shuffle
 * ({@link Rebalancer}: kept whole when the input already has the target number of partitions,
 * else spread deterministically), which also cuts the lineage; each resulting partition
 * {@code p} is stored serialized in memory and on disk (MEMORY_AND_DISK_SER: data larger than the
 * executors' memory spills to local disk and is never recomputed from the source), and becomes a
 * {@link PartitionWorker} with partition index {@code p}, kept in memory (MEMORY_ONLY,
 * deserialised) so that its network workspaces are reused by every step; a worker that does not
 * fit is rebuilt from the stored block. The log says how much was spilled.
 */
final class BlockConverter {
  private static final Logger LOG = LoggerFactory.getLogger(BlockConverter.class);

  private BlockConverter() {
  }

  /**
   * Converts {@code rows} into {@code partitions} cached blocks (the input's own partitions when
   * it already has that many), validated for {@code architecture} and {@code loss} (both travel to
   * the executors inside the tasks), with worker seeds from {@code seed}.
   *
   * @param source names the data in messages ("training data")
   * @throws DataException naming the source, input partition and row of the first bad value
   *     found, or when there is no row at all
   */
  public static Blocks convert(JavaRDD<Row> rows, RowFormat format, Sequential architecture, Loss loss, int partitions, long seed,
                               String source) {
    JavaRDD<DataSet> converted = rows.mapPartitionsWithIndex(new Convert(format, architecture, loss, source), true);
    JavaRDD<DataSet> blocks = Rebalancer.rebalance(converted, partitions, architecture.inputShape(),
        format.labelWidth());
    JavaRDD<DataSet> stored = blocks.persist(StorageLevel.MEMORY_AND_DISK_SER())
        .setName(source + " blocks (serialized)");
    JavaRDD<PartitionWorker> workers = stored.mapPartitionsWithIndex(new Bind(architecture, loss, seed), true)
        .persist(StorageLevel.MEMORY_ONLY())
        .setName(source + " workers");
    List<Integer> sizes;
    try {
      sizes = workers.map(w -> w.data().size()).collect();
    } catch (Exception e) { // SparkException is checked in Java's eyes but not declared by Scala
      workers.unpersist(false);
      stored.unpersist(false);
      throw unwrap(e, source);
    }
    int[] s = new int[sizes.size()];
    long total = 0;
    for (int i = 0; i < s.length; i++) {
      s[i] = sizes.get(i);
      total += s[i];
    }
    if (total == 0) {
      workers.unpersist(false);
      stored.unpersist(false);
      throw new DataException(source + ": the data set is empty (no rows in any of its " + s.length + " partitions)");
    }
    reportStorage(stored, workers, source);
    LOG.info("{}: {} samples in {} cached partitions {}", source, total, s.length, Arrays.toString(s));
    return new Blocks(workers, stored, s, total);
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
   * Logs where the serialized blocks are (memory, disk: spilled) and warns when workers did not
   * fit in memory (those are rebuilt from the serialized blocks, never from the source).
   */
  private static void reportStorage(JavaRDD<?> stored, JavaRDD<?> workers, String source) {
    for (RDDInfo info : stored.context().getRDDStorageInfo()) {
      if (info.id() == stored.id()) {
        if (info.diskSize() > 0) {
          LOG.warn("{}: serialized blocks spilled to disk: {} MB on disk, {} MB in memory ({} of {} partitions cached);"
              + " steps read the spilled blocks from local disk", source, mb(info.diskSize()), mb(info.memSize()),
              info.numCachedPartitions(), info.numPartitions());
        } else {
          LOG.info("{}: serialized blocks: {} MB in memory, none spilled", source, mb(info.memSize()));
        }
      }
      if (info.id() == workers.id() && info.numCachedPartitions() < info.numPartitions()) {
        LOG.warn("{}: only {} of {} worker partitions fit in executor memory; the others are rebuilt from the "
            + "serialized blocks in every step. Give the executors more memory for speed.", source,
            info.numCachedPartitions(), info.numPartitions());
      }
    }
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  /** Reads one input partition into a block and checks it. */
  private static final class Convert implements Function2<Integer, Iterator<Row>, Iterator<DataSet>> {
    private static final long serialVersionUID = 1L;
    private final RowFormat format;
    private final Sequential arch;
    private final Loss loss;
    private final String source;

    Convert(RowFormat format, Sequential arch, Loss loss, String source) {
      this.format = format;
      this.arch = arch;
      this.loss = loss;
      this.source = source;
    }

    @Override
    public Iterator<DataSet> call(Integer partition, Iterator<Row> rows) {
      String where = source + ", partition " + partition;
      int f = format.featureSize();
      int lw = format.labelWidth();
      boolean tokens = format.tokens();
      float[] x = new float[tokens ? 0 : f * 16];
      int[] ids = new int[tokens ? f * 16 : 0];
      float[] y = new float[lw * 16];
      float[] w = format.weighted() ? new float[16] : null;
      int n = 0;
      while (rows.hasNext()) {
        Row row = rows.next();
        long need = (long) (n + 1) * Math.max(f, lw);
        if (need > Integer.MAX_VALUE - 16) {
          throw new DataException(where + ": more than " + n + " samples of " + f
              + " features do not fit in one block; split the data into more partitions");
        }
        if (!tokens && (n + 1) * f > x.length) {
          x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 16, 2L * x.length + f));
        }
        if (tokens && (n + 1) * f > ids.length) {
          ids = Arrays.copyOf(ids, (int) Math.min(Integer.MAX_VALUE - 16, 2L * ids.length + f));
        }
        if ((n + 1) * lw > y.length) {
          y = Arrays.copyOf(y, (int) Math.min(Integer.MAX_VALUE - 16, 2L * y.length + lw));
        }
        if (w != null && n + 1 > w.length) {
          w = Arrays.copyOf(w, (int) Math.min(Integer.MAX_VALUE - 16, 2L * w.length + 1));
        }
        if (tokens) {
          format.readTokens(row, ids, n * f, where, n);
        } else {
          format.readFeatures(row, x, n * f, where, n);
        }
        format.readLabel(row, y, n * lw, where, n);
        if (w != null) {
          w[n] = format.readWeight(row, where, n);
        }
        n++;
      }
      DataSet d = tokens
          ? DataSet.ofTokens(f, lw, n, Arrays.copyOf(ids, n * f), Arrays.copyOf(y, n * lw), null)
          : new DataSet(arch.inputShape(), lw, n, Arrays.copyOf(x, n * f), Arrays.copyOf(y, n * lw));
      if (w != null) {
        d = d.withWeights(Arrays.copyOf(w, n));
      }
      d.checkFits(arch, loss, where);
      return Collections.singletonList(d).iterator();
    }
  }

  /** Wraps partition {@code p}'s block into its worker. */
  private static final class Bind implements Function2<Integer, Iterator<DataSet>, Iterator<PartitionWorker>> {
    private static final long serialVersionUID = 1L;
    private final Sequential arch;
    private final Loss loss;
    private final long seed;

    Bind(Sequential arch, Loss loss, long seed) {
      this.arch = arch;
      this.loss = loss;
      this.seed = seed;
    }

    @Override
    public Iterator<PartitionWorker> call(Integer partition, Iterator<DataSet> blocks) {
      DataSet d = blocks.next();
      return Collections.singletonList(new PartitionWorker(arch, loss, d, partition, seed))
          .iterator();
    }
  }
}
