/**
 * The distributed parts of a training step and of evaluation, in two sync modes that compute the
 * same floats, and the conversion of rows into the cached blocks they read.
 *
 * <p>Visibility (decided in issue #12): everything here is package-private except
 * {@link io.sparkprop.spark.train.SparkTraining}, the small facade that
 * {@link io.sparkprop.spark.SparkTrainer} (another package), the CLI and the benchmarks call, and
 * {@link io.sparkprop.spark.train.Blocks}, the handle on cached data it returns (size, partitions,
 * release). Merging the former {@code spark.data} conversion into this package is what lets the
 * converter, row format, gradient sources and evaluator be package-private; users train through
 * {@code SparkTrainer} or the spark.ml estimators.
 *
 * <p>Blocks: {@link io.sparkprop.spark.train.BlockConverter} reads each partition into capped
 * {@link io.sparkprop.core.data.DataSet} blocks of 4 MB, one at a time (validated with the
 * partition and row in every message, {@link io.sparkprop.spark.train.RowFormat} says where the
 * values are), passes them through one deterministic shuffle onto the target number of partitions
 * ({@link io.sparkprop.spark.train.Rebalancer}), writes each partition to a memory-mapped local
 * file ({@link io.sparkprop.spark.train.MappedSamples}, outside the heap) and caches one
 * {@link io.sparkprop.core.train.PartitionWorker} per partition (public in trainer-core, because
 * the single-JVM trainer and the Spark tasks both use it; it reads rows through
 * {@link io.sparkprop.core.data.SampleStore}). Mapped files rather than Spark's serialized
 * MEMORY_AND_DISK blocks because a step reads a random slice of its partition's epoch
 * permutation (the single-JVM trainer's order, hence bit-identical results): a mapping copies
 * only those rows from the page cache or disk, where serialized blocks were deserialized whole
 * for a few rows each (1.4 GB and 5.9 s per step at 600,000 rows). How the rows were cut into
 * blocks and segments changes no float. The architecture and loss travel to the executors
 * inside the tasks as they are (core's layers, losses and {@code Sequential} are serializable).
 *
 * <p>Small data ({@link io.sparkprop.spark.train.SmallData}, a DataFrame whose plan estimates at
 * most {@code spark.sparkprop.smallData.maxBytes}, 8 MB by default, and whose samples are
 * found to fit in it) skips the shuffle: one job converts and returns the blocks (none for a
 * local relation, whose rows the driver converts itself), the driver places every sample on its
 * partition by the Rebalancer's rule in the order the mapped files read, and the partitions reach
 * the tasks in a broadcast when a stage first needs them, from which each worker is built and
 * cached. The same samples in the same order: the same floats. Spark jobs are started with plain
 * job functions ({@link io.sparkprop.spark.train.Jobs}): Spark's closure cleaner re-reads the
 * class file of every Scala lambda it is handed.
 *
 * <p>Jobs mode: {@link io.sparkprop.spark.train.SparkGradientSource} implements core's
 * {@link io.sparkprop.core.train.GradientSource}: per step it broadcasts the flat parameter
 * vector, runs {@link io.sparkprop.spark.train.StepTask} on every cached partition (its share of
 * the step added into one reused gradient buffer per executor thread) as one
 * {@code SparkContext.runJob} ({@link io.sparkprop.spark.train.Jobs}), and sums the
 * {@link io.sparkprop.spark.train.StepResult}s in partition order on the driver, or through a
 * tree of shuffles of fixed order ({@link io.sparkprop.spark.train.OrderedTree}) for many
 * partitions.
 *
 * <p>Embedding gradients: a result carries the rows of the model's embedding table that its
 * samples touched (row ids and rows, core's {@link io.sparkprop.core.model.SparseRows}) and the
 * rest of the gradient dense; both sync modes send it in that form
 * ({@link io.sparkprop.spark.train.Wire}) and the driver adds only those rows, which gives the
 * bits of the dense sum. The Spark setting {@code spark.sparkprop.gradient.sparse=false} sends
 * whole tables (to measure and test).
 *
 * <p>Barrier mode: {@link io.sparkprop.spark.train.BarrierGradientSource} runs one barrier stage
 * per run ({@link io.sparkprop.spark.train.BarrierStage}) whose tasks
 * ({@link io.sparkprop.spark.train.BarrierTask}) stay up and exchange θ and gradient sums with
 * the driver over {@link io.sparkprop.spark.train.Links}: in the driver's JVM
 * ({@link io.sparkprop.spark.train.LocalHub}) or over TCP
 * ({@link io.sparkprop.spark.train.SocketHub}, checked {@link io.sparkprop.spark.train.Frame}s,
 * encrypted by {@link io.sparkprop.spark.train.FrameCipher} when Spark's network encryption is on).
 * {@link io.sparkprop.spark.train.TcpDriverLink} is a task's end of that TCP connection.
 * {@link io.sparkprop.spark.train.BarrierSums} adds the tasks' answers on the driver in jobs
 * mode's order (partition order or the same tree), so both modes give the same floats.
 * Validation is a command on the same channel: the stage zips each training partition with the
 * validation partition of the same index, so the tasks evaluate it with the validation job's
 * code and the driver merges in partition order. The stage ends with the run, on a failure
 * (the step or evaluation is then recomputed as a job from the same θ), or when another Spark job
 * of the application needs its task slots; it falls back to jobs mode per step when no stage can
 * be scheduled.
 *
 * <p>Driver steps: in local mode, small data of at most 2^24 (16.8M) samples x parameters
 * is trained in the driver thread by {@link io.sparkprop.spark.train.DriverGradientSource}, with
 * no Spark stage: workers built on the driver from the driver's copy of the partitions, each
 * step's results summed by {@link io.sparkprop.spark.train.BarrierSums}, validation merged as the
 * validation job merges; the same floats as both sync modes. The Spark setting
 * {@code spark.sparkprop.smallData.driverSteps=false} turns it off.
 *
 * <p>{@link io.sparkprop.spark.train.SparkEvaluator} computes validation loss and metric sums as
 * a job over the cached validation blocks (jobs mode, and barrier mode's fallback).
 */
package io.sparkprop.spark.train;
