package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.tensor.Gemms;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** What the side-by-side Spark benchmarks share: their local[2] session, environment line and rows. */
final class LocalRun {
  /** features: ml vector, label: double (as MLlib's classifiers read them). */
  static final StructType VECTOR_SCHEMA = new StructType().add("features", SQLDataTypes.VectorType())
      .add("label", DataTypes.DoubleType);

  private LocalRun() {
  }

  /**
   * A local[2] session on 127.0.0.1 without UI, 2 shuffle partitions (one per task slot), logging
   * warnings only; {@code conf} holds further key, value pairs.
   */
  static SparkSession session(String app, List<String[]> conf) {
    SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName(app)
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    for (String[] kv : conf) {
      builder.config(kv[0], kv[1]);
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** JDK, cores, GEMM backend, BLAS threads, Spark version and master: the report's first line. */
  static String environment(SparkSession spark) {
    return String.format(Locale.ROOT, "JDK %s, %d cores, GEMM backend %s, OPENBLAS_NUM_THREADS=%s, Spark %s, master %s",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), Gemms.best().name(),
        System.getenv("OPENBLAS_NUM_THREADS"), spark.version(), spark.sparkContext().master());
  }

  /** The samples of {@code d} as rows of {@link #VECTOR_SCHEMA}, features as dense vectors. */
  static List<Row> vectorRows(DataSet d) {
    List<Row> rows = new ArrayList<>(d.size());
    int f = d.featureSize();
    for (int i = 0; i < d.size(); i++) {
      double[] v = new double[f];
      for (int j = 0; j < f; j++) {
        v[j] = d.features()[i * f + j];
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) d.labels()[i]));
    }
    return rows;
  }
}
