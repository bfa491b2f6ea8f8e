package io.sparkprop.spark;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a static {@code MiniDFSCluster} field of a test class: one in-process HDFS (one data node,
 * blocks in a fresh temporary folder) for the whole class, started before the class's
 * {@code @BeforeAll} methods and shut down, its folder deleted, after its {@code @AfterAll} methods
 * and after any {@link LocalSpark} session of the class is stopped.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClassResources.class)
public @interface MiniHdfs {
}
