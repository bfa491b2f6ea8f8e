package io.sparkprop.cli;

import io.sparkprop.cli.report.ConfusionMatrix;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.metrics.MetricOptions;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A saved model applied by the executors to a DataFrame of {@code features} and {@code label}:
 * loss sums, metric sums and the confusion matrix (added up on the driver in partition order), or
 * one row of predictions per sample. Each partition rebuilds the model from the broadcast parameters and scores its rows
 * in batches of {@value #BATCH}, streamed: a partition holds one batch of rows and outputs at a
 * time, so the executors' memory does not grow with the partition size.
 */
final class Scoring {
  static final int BATCH = 512;

  private Scoring() {
  }

  /**
   * Loss, the metrics of {@link MetricSums} (accuracy, top-k, log-loss, P/R/F1, AUCs; or MSE,
   * RMSE, MAE, R²) and (single-label classifiers) the confusion matrix of {@code model} on
   * {@code df}: one pass, sums per partition, merged on the driver in partition order.
   */
  static Evaluation.Result evaluate(Model model, Dataset<Row> df, String source) {
    return evaluate(model, df, source, MetricOptions.DEFAULTS);
  }

  /** As {@link #evaluate(Model, Dataset, String)} with the metrics' settings (top-k's k). */
  static Evaluation.Result evaluate(Model model, Dataset<Row> df, String source, MetricOptions options) {
    boolean confusion = model.loss().isClassification()
        && (model.loss() instanceof SoftmaxCrossEntropy || model.outputSize() == 1);
    int classes = Math.max(2, model.outputSize());
    MetricSums empty = MetricSums.forLoss(model.loss(), model.outputSize(), options);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    Broadcast<float[]> params = jsc.broadcast(model.params());
    try {
      List<Partial> parts = df.select("features", "label").javaRDD()
          .mapPartitions(new Evaluate(model.architecture(), model.loss(), params, confusion, classes, empty, source))
          .collect(); // in partition order: the same sums in every run
      Partial total = new Partial(LossSums.ZERO, new long[classes * classes], empty == null ? null : empty.empty());
      for (Partial p : parts) {
        total = total.plus(p);
      }
      if (total.sums().count() == 0) {
        throw new DataException(source + ": the data set is empty");
      }
      return new Evaluation.Result(total.sums(), confusion ? ConfusionMatrix.ofCounts(classes, total.counts()) : null,
          total.metrics());
    } catch (RuntimeException e) {
      throw io.sparkprop.spark.train.SparkTraining.unwrap(e, source);
    } finally {
      params.destroy();
    }
  }

  /** Sums of some partitions ({@code metrics} null for outputs without metrics). */
  record Partial(LossSums sums, long[] counts, MetricSums metrics) implements Serializable {
    /** These sums plus {@code o}'s (the metric sums are merged into this partial's). */
    Partial plus(Partial o) {
      long[] c = counts.clone();
      for (int i = 0; i < c.length; i++) {
        c[i] += o.counts[i];
      }
      if (metrics != null) {
        metrics.merge(o.metrics);
      }
      return new Partial(sums.plus(o.sums), c, metrics);
    }
  }

  /** Scores batches of rows; {@code consumer} gets each batch with its outputs. */
  private abstract static class Batches implements Serializable {
    private static final long serialVersionUID = 1L;
    final Sequential architecture;
    final Loss loss;
    final Broadcast<float[]> params;
    final String source;

    Batches(Sequential architecture, Loss loss, Broadcast<float[]> params, String source) {
      this.architecture = architecture;
      this.loss = loss;
      this.params = params;
      this.source = source;
    }

    /**
     * The rows of a partition as scored batches of at most {@value #BATCH}, read lazily: the next
     * batch is read from {@code rows} only when asked for, so a partition never holds more than
     * one batch of input rows (and one of outputs) whatever its size.
     */
    Iterator<Batch> batches(Iterator<Row> rows) {
      Model m = new Model(architecture, loss, params.value());
      int f = architecture.inputShape().size();
      boolean tokens = architecture.layers().get(0) instanceof Embedding;
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Batch next() {
          if (!rows.hasNext()) {
            throw new NoSuchElementException();
          }
          List<Row> batch = new ArrayList<>(BATCH);
          while (batch.size() < BATCH && rows.hasNext()) {
            batch.add(rows.next());
          }
          float[] x = tokens ? null : new float[batch.size() * f];
          int[] ids = tokens ? new int[batch.size() * f] : null;
          float[] y = new float[batch.size()];
          for (int i = 0; i < batch.size(); i++) {
            if (tokens) {
              readIds(batch.get(i).get(0), ids, i * f, f);
            } else {
              readFeatures((Vector) batch.get(i).get(0), x, i * f, f);
            }
            y[i] = batch.get(i).isNullAt(1) ? Float.NaN : (float) batch.get(i).getDouble(1);
          }
          return new Batch(m, tokens ? DataSet.ofTokens(f, 1, batch.size(), ids, y, null)
              : new DataSet(architecture.inputShape(), 1, batch.size(), x, y));
        }
      };
    }

    private void readFeatures(Vector v, float[] x, int off, int f) {
      if (v.size() != f) {
        throw new DataException(source + ": a sample has " + v.size() + " features, the model takes " + f);
      }
      for (int j = 0; j < f; j++) {
        x[off + j] = (float) v.apply(j);
      }
    }

    /** Token ids as written by {@link TextInputs#ids}: an array column of ints. */
    private void readIds(Object v, int[] ids, int off, int f) {
      scala.collection.Seq<?> seq = (scala.collection.Seq<?>) v;
      if (seq.size() != f) {
        throw new DataException(source + ": a sample has " + seq.size() + " token ids, the model takes " + f);
      }
      for (int j = 0; j < f; j++) {
        ids[off + j] = ((Number) seq.apply(j)).intValue();
      }
    }
  }

  /** One batch of a partition and the model that scores it. */
  record Batch(Model model, DataSet data) {
  }

  private static final class Evaluate extends Batches implements FlatMapFunction<Iterator<Row>, Partial> {
    private static final long serialVersionUID = 1L;
    private final boolean confusion;
    private final int classes;
    private final MetricSums empty;

    Evaluate(Sequential architecture, Loss loss, Broadcast<float[]> params, boolean confusion, int classes,
             MetricSums empty, String source) {
      super(architecture, loss, params, source);
      this.confusion = confusion;
      this.classes = classes;
      this.empty = empty;
    }

    @Override
    public Iterator<Partial> call(Iterator<Row> rows) {
      LossSums sums = LossSums.ZERO;
      long[] counts = new long[classes * classes];
      MetricSums metrics = empty == null ? null : empty.empty();
      // one batch at a time: only the sums outlive a batch
      for (Iterator<Batch> it = batches(rows); it.hasNext(); ) {
        Batch bt = it.next();
        Model m = bt.model();
        DataSet d = bt.data();
        d.checkFits(m.architecture(), m.loss(), source);
        // one forward pass per batch feeds the loss, the metrics and the confusion matrix (as Model.evaluate)
        float[] out = m.predictRaw(d);
        int w = m.outputSize();
        int n = d.size();
        double l = m.loss().lossAndGradient(out, d.labels(), n, w, d.labelWidth(), null);
        long c = m.loss().countCorrect(out, d.labels(), n, w, d.labelWidth());
        sums = sums.plus(new LossSums(l, n, c));
        if (metrics != null) {
          metrics.add(out, d.labels(), n, w, d.labelWidth());
        }
        if (confusion) {
          for (int i = 0; i < n; i++) {
            int p = w == 1 ? (out[i] > 0 ? 1 : 0) : SoftmaxCrossEntropy.argmax(out, i * w, w);
            counts[(int) d.labels()[i] * classes + p]++;
          }
        }
      }
      return List.of(new Partial(sums, counts, metrics)).iterator();
    }
  }

  /** The schema of prediction rows: predicted (classifiers), label (when labelled), p_j or y_j. */
  static StructType predictionSchema(Model model, Preprocessing pre, boolean labelled) {
    StructType s = new StructType();
    boolean classifier = model.loss().isClassification();
    // string labels are written back as the strings they were
    var labelType = classifier && pre.spec().stringLabels() ? DataTypes.StringType : DataTypes.DoubleType;
    if (classifier) {
      s = s.add("predicted", labelType);
    }
    if (labelled) {
      s = s.add("label", labelType);
    }
    for (int j = 0; j < model.outputSize(); j++) {
      s = s.add((classifier ? "p_" : "y_") + j, DataTypes.DoubleType);
    }
    return s;
  }

  /** One row of predictions per row of {@code df} (preprocessed), labels turned back by {@code pre}. */
  static Dataset<Row> predict(Model model, Preprocessing pre, Dataset<Row> df, boolean labelled, String source) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    Broadcast<float[]> params = jsc.broadcast(model.params());
    var rows = df.select("features", "label").javaRDD()
        .mapPartitions(new Predict(model.architecture(), model.loss(), params, pre, labelled, source));
    return df.sparkSession().createDataFrame(rows, predictionSchema(model, pre, labelled));
  }

  static final class Predict extends Batches implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private final Preprocessing pre;
    private final boolean labelled;

    Predict(Sequential architecture, Loss loss, Broadcast<float[]> params, Preprocessing pre, boolean labelled, String source) {
      super(architecture, loss, params, source);
      this.pre = pre;
      this.labelled = labelled;
    }

    /** The output rows, scored one batch at a time as Spark consumes them (nothing buffered beyond a batch). */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Iterator<Batch> batches = batches(rows);
      return new Iterator<>() {
        private Row[] current = new Row[0];
        private int next;

        @Override
        public boolean hasNext() {
          while (next == current.length && batches.hasNext()) {
            current = score(batches.next());
            next = 0;
          }
          return next < current.length;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row r = current[next];
          current[next++] = null;
          return r;
        }
      };
    }

    /** The original label of class {@code c}: a string or a number, as the training labels were. */
    private Object label(int c) {
      return pre.spec().stringLabels() ? pre.spec().labelText(c) : pre.label(c);
    }

    private Row[] score(Batch b) {
      Model m = b.model();
      DataSet d = b.data();
      float[] p = m.predict(d);
      int w = m.outputSize();
      boolean classifier = m.loss().isClassification();
      int[] c = classifier ? m.predictClasses(d) : null;
      Row[] out = new Row[d.size()];
      for (int i = 0; i < d.size(); i++) {
        List<Object> r = new ArrayList<>(w + 2);
        if (classifier) {
          r.add(label(c[i]));
        }
        if (labelled) {
          double y = d.labels()[i];
          r.add(classifier ? label((int) y) : y);
        }
        for (int j = 0; j < w; j++) {
          r.add((double) p[i * w + j]);
        }
        out[i] = RowFactory.create(r.toArray());
      }
      return out;
    }
  }
}
