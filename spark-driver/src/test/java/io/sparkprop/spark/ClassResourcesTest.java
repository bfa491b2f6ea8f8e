package io.sparkprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link LocalSpark}: the session is there for {@code @BeforeAll}, with the master and settings asked for. */
class ClassResourcesTest {
  @LocalSpark(master = "local[3]", conf = {"spark.sql.shuffle.partitions", "7"})
  private static SparkSession spark;
  private static boolean runningInBeforeAll;

  @BeforeAll
  static void seenByBeforeAll() {
    runningInBeforeAll = spark != null && !spark.sparkContext().isStopped();
  }

  @Test
  void oneSessionWithTheClassNameMasterAndSettings() {
    assertThat(runningInBeforeAll).isTrue();
    assertThat(spark.sparkContext().appName()).isEqualTo("ClassResourcesTest");
    assertThat(spark.sparkContext().master()).isEqualTo("local[3]");
    // conf wins over the test default of 4 shuffle partitions; the other defaults stay
    assertThat(spark.conf().get("spark.sql.shuffle.partitions")).isEqualTo("7");
    assertThat(spark.conf().get("spark.ui.enabled")).isEqualTo("false");
  }
}
