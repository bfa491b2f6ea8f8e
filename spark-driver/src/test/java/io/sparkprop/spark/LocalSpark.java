package io.sparkprop.spark;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a static {@code SparkSession} field of a test class: one session for the whole class, made by
 * {@link SparkTestSupport#session(String, String, String...)} (named after the class) before the
 * class's {@code @BeforeAll} methods and stopped after its {@code @AfterAll} methods.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClassResources.class)
public @interface LocalSpark {
  /** The master URL, e.g. {@code local[6]} for six task slots. */
  String master() default "local[2]";

  /** Further settings as key, value, key, value...; they win over the test defaults. */
  String[] conf() default {};
}
