package io.sparkprop.cli;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A seeded, stratified hold-out of the training rows, computed by the executors. Each row gets a
 * key {@code u} in [0, 1) from a seeded 64-bit hash of its features and label ({@code xxhash64},
 * top 53 bits), so the split does not depend on partitioning or row order, and duplicate rows
 * land on the same side (no copy of a validation row is trained on). Per class (per label value;
 * the whole data for regression) one aggregation job finds the {@code fraction}-quantile
 * {@code t_c} of the keys ({@code percentile_approx} with accuracy {@value #ACCURACY}: exact for
 * classes of up to that many rows, else off by at most {@code n_c / }{@value #ACCURACY} rows);
 * the rows with {@code u <= t_c} are validation rows, so each class keeps its proportion to within
 * a row. A class with {@code n_c · fraction < 1} stays whole in the training data.
 *
 * <p>The same aggregation gives what {@code train} would otherwise learn with more jobs: the
 * distinct labels (the groups) and whether any training row is left (a class keeps training rows
 * exactly when its largest key is above its cut; duplicate rows share a key and may all be held out).
 */
final class ValidationSplit {
  /** Accuracy of the per-class quantile (Spark's percentile_approx: relative rank error 1/accuracy). */
  static final int ACCURACY = 100_000;
  private static final String KEY = "__split_key";

  private ValidationSplit() {
  }

  /**
   * Training rows and validation rows (null when no class has rows enough to hold one out), the
   * distinct labels of all rows (null when not stratified), and whether no training row is left.
   */
  record Parts(Dataset<Row> train, Dataset<Row> validation, List<Object> labels, boolean trainEmpty) {
  }

  /** What a row's key hashes besides its label: the text of text rows, else the feature values. */
  private static Column content(Dataset<Row> df) {
    if (java.util.Arrays.asList(df.columns()).contains(io.sparkprop.ml.data.DataSources.TEXT)) {
      return functions.col(io.sparkprop.ml.data.DataSources.TEXT);
    }
    return df.schema().apply("features").dataType() instanceof org.apache.spark.sql.types.ArrayType
        ? functions.col("features")
        : org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float32");
  }

  /**
   * Splits {@code df} (columns {@code features} or {@code text}, and {@code label}) into training and validation
   * rows, {@code fraction} of each class (of all rows when not {@code stratified}) held out.
   */
  static Parts split(Dataset<Row> df, double fraction, long seed, boolean stratified) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
    // u = (h >>> 11) · 2^-53: the top 53 bits of the hash as a double in [0, 1)
    Column h = functions.xxhash64(functions.lit(seed), content(df), functions.col("label"));
    Column u = functions.shiftrightunsigned(h, 11).cast("double").multiply(Math.scalb(1.0, -53));
    Dataset<Row> keyed = df.withColumn(KEY, u);
    Column group = stratified ? functions.col("label") : functions.lit(0.0);
    List<Row> cuts = keyed.groupBy(group.as("g"))
        .agg(functions.percentile_approx(functions.col(KEY), functions.lit(fraction), functions.lit(ACCURACY)),
            functions.count(functions.lit(1)), functions.max(functions.col(KEY)))
        .collectAsList();
    List<Object> labels = stratified ? cuts.stream().map(c -> c.get(0)).toList() : null;
    Column held = functions.lit(false);
    boolean any = false;
    boolean trainRows = false;
    for (Row c : cuts) {
      if (c.getLong(2) * fraction < 1) {
        trainRows = true;
        continue; // too few rows to hold one out
      }
      trainRows |= c.getDouble(3) > c.getDouble(1); // rows above the cut stay in training
      Column inClass = stratified ? functions.col("label").equalTo(c.get(0)) : functions.lit(true);
      held = held.or(inClass.and(functions.col(KEY).leq(c.getDouble(1))));
      any = true;
    }
    if (!any) {
      return new Parts(df, null, labels, cuts.isEmpty());
    }
    Dataset<Row> flagged = keyed.withColumn(KEY, held);
    return new Parts(flagged.filter(functions.not(functions.col(KEY))).drop(KEY),
        flagged.filter(functions.col(KEY)).drop(KEY), labels, !trainRows);
  }
}
