package io.sparkprop.ml;

import io.sparkprop.core.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small synthetic iris-like data: three species, four measurements drawn around per-species
 * centres (different scales per column, so that scaling matters), seeded.
 */
final class IrisLike {
  static final String[] SPECIES = {"setosa", "versicolor", "virginica"};
  private static final double[][] CENTRES = {{5.0, 3.4, 1.5, 0.2}, {5.9, 2.8, 4.3, 1.3}, {6.6, 3.0, 5.6, 2.0}};
  private static final double[] SPREAD = {0.35, 0.3, 0.3, 0.15};

  private IrisLike() {
  }

  /** Columns x1..x4 (double) and species (string). */
  static Dataset<Row> raw(SparkSession spark, int n, long seed) {
    Rng rng = new Rng(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      Object[] v = new Object[5];
      for (int j = 0; j < 4; j++) {
        v[j] = CENTRES[c][j] + SPREAD[j] * rng.nextGaussian();
      }
      v[4] = SPECIES[c];
      rows.add(RowFactory.create(v));
    }
    StructType schema = new StructType().add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType)
        .add("x3", DataTypes.DoubleType).add("x4", DataTypes.DoubleType).add("species", DataTypes.StringType);
    return spark.createDataFrame(rows, schema);
  }

  /** Columns features (vector of 4, centred roughly) and label (class index as double). */
  static Dataset<Row> vectors(SparkSession spark, int n, long seed) {
    Rng rng = new Rng(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      double[] v = new double[4];
      for (int j = 0; j < 4; j++) {
        v[j] = (CENTRES[c][j] - 4) + SPREAD[j] * rng.nextGaussian();
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) c));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }
}
