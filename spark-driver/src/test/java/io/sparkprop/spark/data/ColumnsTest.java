package io.sparkprop.spark.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Names with dots, spaces and back-quotes select exactly their own column. */
class ColumnsTest {
  @LocalSpark
  private static SparkSession spark;

  @Test
  void oddNamesSelectTheirOwnColumn() {
    StructType schema = new StructType()
        .add("a.b", DataTypes.DoubleType).add("x`y", DataTypes.DoubleType).add("with space", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0, 3.0)), schema);
    Row r = df.select(Columns.col("with space"), Columns.col("x`y"), Columns.col("a.b")).first();
    assertThat(new double[] {r.getDouble(0), r.getDouble(1), r.getDouble(2)}).containsExactly(3.0, 2.0, 1.0);
    assertThat(Columns.quote("x`y")).isEqualTo("`x``y`");
  }
}
