package io.sparkprop.spark;

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fills a test class's static {@link MiniHdfs} and {@link LocalSpark} fields before its
 * {@code @BeforeAll} methods (the cluster first) and releases them in the reverse order after its
 * {@code @AfterAll} methods, so each class gets its own cluster and session.
 */
public final class ClassResources implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClassResources.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> test = context.getRequiredTestClass();
    for (Field f : fields(test, MiniHdfs.class, MiniDFSCluster.class)) {
      Path base = Files.createTempDirectory("minihdfs");
      context.getStore(NS).put(f, base);
      f.set(null, HdfsTestSupport.start(base));
    }
    for (Field f : fields(test, LocalSpark.class, SparkSession.class)) {
      LocalSpark spec = f.getAnnotation(LocalSpark.class);
      f.set(null, SparkTestSupport.session(test.getSimpleName(), spec.master(), spec.conf()));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Class<?> test = context.getRequiredTestClass();
    for (Field f : fields(test, LocalSpark.class, SparkSession.class)) {
      SparkSession spark = (SparkSession) f.get(null);
      if (spark != null) {
        spark.stop();
        f.set(null, null);
      }
    }
    for (Field f : fields(test, MiniHdfs.class, MiniDFSCluster.class)) {
      MiniDFSCluster cluster = (MiniDFSCluster) f.get(null);
      if (cluster != null) {
        cluster.shutdown();
        f.set(null, null);
      }
      Path base = context.getStore(NS).remove(f, Path.class);
      if (base != null) {
        FileUtil.fullyDelete(new File(base.toString()));
      }
    }
  }

  /** The fields of {@code test} marked {@code mark}, each checked to be static and of {@code type}. */
  private static List<Field> fields(Class<?> test, Class<? extends Annotation> mark, Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Field f : test.getDeclaredFields()) {
      if (!f.isAnnotationPresent(mark)) {
        continue;
      }
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != type) {
        throw new IllegalStateException("@" + mark.getSimpleName() + " field " + test.getSimpleName() + "."
            + f.getName() + " must be a static " + type.getSimpleName());
      }
      f.setAccessible(true);
      out.add(f);
    }
    return out;
  }
}
