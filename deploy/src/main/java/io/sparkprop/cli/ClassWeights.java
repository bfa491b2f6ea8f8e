package io.sparkprop.cli;

import io.sparkprop.cli.config.ClassWeight;
import io.sparkprop.core.data.DataException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Turns {@code training.classWeight} into the sample-weight column {@link Inputs#WEIGHT} of the
 * (preprocessed) training rows, whose labels are class indices: a {@code CASE} on the label,
 * computed by the executors. {@code balanced} needs the class counts: one Spark job
 * ({@code groupBy(label).count()}, k numbers to the driver).
 */
final class ClassWeights {
  private ClassWeights() {
  }

  /** The weight of each class index, {@code classes} of them (1 for a class the config leaves out). */
  static double[] of(ClassWeight cw, Dataset<Row> train, Preprocessing pre, int classes) {
    double[] w = new double[classes];
    Arrays.fill(w, 1);
    if (cw.balanced()) {
      long[] counts = new long[classes];
      for (Row r : train.groupBy(Inputs.LABEL).count().collectAsList()) {
        double label = r.getDouble(0);
        if (label != Math.rint(label) || label < 0 || label >= classes) {
          throw new DataException("data.train: label " + label + " is not an integer class in [0, " + classes + ")");
        }
        counts[(int) label] = r.getLong(1);
      }
      long n = Arrays.stream(counts).sum();
      long present = Arrays.stream(counts).filter(c -> c > 0).count();
      for (int c = 0; c < classes; c++) {
        w[c] = counts[c] == 0 ? 1 : (double) n / (present * counts[c]); // scikit-learn: n / (k · n_c)
      }
      return w;
    }
    for (Map.Entry<Double, Double> e : cw.weights().entrySet()) {
      w[index(e.getKey(), pre, classes)] = e.getValue();
    }
    return w;
  }

  /** The class index of label {@code label} as written in the data. */
  private static int index(double label, Preprocessing pre, int classes) {
    if (pre.labels() != null) {
      for (int i = 0; i < pre.labels().length; i++) {
        if (pre.labels()[i] == label) {
          return i;
        }
      }
      throw new DataException("training.classWeight: " + label + " is not a label of the training data; its labels "
          + "are " + Arrays.toString(pre.labels()));
    }
    if (label != Math.rint(label) || label < 0 || label >= classes) {
      throw new DataException("training.classWeight: " + label + " is not a class of the model; the labels are the "
          + "class indices 0.." + (classes - 1));
    }
    return (int) label;
  }

  /**
   * {@code train} with the column {@link Inputs#WEIGHT}: the weight of each row's class, times the
   * row's sample weight when it has one ({@code data.weightCol}; Keras multiplies
   * {@code class_weight} and {@code sample_weight} the same way).
   */
  static Dataset<Row> apply(double[] w, Dataset<Row> train) {
    Column label = functions.col(Inputs.LABEL);
    Column weight = functions.when(label.equalTo(0.0), w[0]);
    for (int c = 1; c < w.length; c++) {
      weight = weight.when(label.equalTo((double) c), w[c]);
    }
    weight = weight.otherwise(1.0);
    return train.withColumn(Inputs.WEIGHT, Inputs.weighted(train) ? functions.col(Inputs.WEIGHT).multiply(weight)
        : weight);
  }

  /** "class weights: 0: 0.55, 1: 5.5". */
  static String describe(double[] w) {
    StringBuilder b = new StringBuilder("class weights:");
    for (int c = 0; c < w.length; c++) {
      b.append(c == 0 ? " " : ", ").append(c).append(": ").append(String.format(Locale.ROOT, "%.4g", w[c]));
    }
    return b.toString();
  }
}
