package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Where a sample's values are in a row and how many there must be: the features column (an ML
 * or MLlib vector, or an array of numbers) with {@code featureSize} values, and the label column
 * (a number: a class index or a scalar target, {@code labelWidth} 1; or a vector/array of
 * {@code labelWidth} values: one-hot or multi-output targets). Read on the executors, once per
 * row, while a partition is converted.
 *
 * @param featuresCol  name of the features column (for messages)
 * @param labelCol     name of the label column (for messages)
 * @param featureIndex position of the features column in the row
 * @param labelIndex   position of the label column in the row
 * @param featureSize  values per sample the model takes
 * @param labelWidth   values per label
 * @param tokens       the features column holds token ids
 * @param weightCol    name of the sample-weight column, or null (every sample weighs 1)
 * @param weightIndex  position of the weight column in the row, -1 without one
 */
record RowFormat(String featuresCol, String labelCol, int featureIndex, int labelIndex, int featureSize,
                 int labelWidth, boolean tokens, String weightCol, int weightIndex) implements Serializable {

  /** A float format ({@code tokens} false). */
  public RowFormat(String featuresCol, String labelCol, int featureIndex, int labelIndex, int featureSize,
                   int labelWidth) {
    this(featuresCol, labelCol, featureIndex, labelIndex, featureSize, labelWidth, false);
  }

  /** Without a weight column. */
  public RowFormat(String featuresCol, String labelCol, int featureIndex, int labelIndex, int featureSize,
                   int labelWidth, boolean tokens) {
    this(featuresCol, labelCol, featureIndex, labelIndex, featureSize, labelWidth, tokens, null, -1);
  }

  /**
   * This format with sample weights read from column {@code col} of {@code schema} (null: none).
   *
   * @throws DataException naming {@code source} when the column is missing or not a number
   */
  public RowFormat withWeights(StructType schema, String col, String source) {
    if (col == null) {
      return new RowFormat(featuresCol, labelCol, featureIndex, labelIndex, featureSize, labelWidth, tokens);
    }
    int wi = index(schema, col, source);
    DataType t = schema.fields()[wi].dataType();
    if (!(t instanceof NumericType)) {
      throw new DataException(source + ": column '" + col + "' is " + t.simpleString()
          + " but a sample weight must be a number (finite and >= 0)");
    }
    return new RowFormat(featuresCol, labelCol, featureIndex, labelIndex, featureSize, labelWidth, tokens, col, wi);
  }

  /** Whether rows carry a sample weight. */
  public boolean weighted() {
    return weightIndex >= 0;
  }

  /**
   * The weight of row {@code r}.
   *
   * @throws DataException naming {@code where}, the row and the column for a null, a negative,
   *     NaN or infinite weight
   */
  float readWeight(Row row, String where, int r) {
    Object v = row.get(weightIndex);
    if (!(v instanceof Number num)) {
      throw new DataException(where + ", row " + r + ": column '" + weightCol + "' is null; expected a sample weight"
          + " (a finite number >= 0)");
    }
    float w = num.floatValue();
    if (!(w >= 0) || Float.isInfinite(w)) {
      throw new DataException(where + ", row " + r + ": column '" + weightCol + "' has " + num
          + "; a sample weight must be finite and >= 0");
    }
    return w;
  }

  /**
   * As {@link #of(StructType, String, String, int, int, String)}; with {@code tokens} the features
   * column holds {@code featureSize} token ids per row (an array of integers, or of integral
   * numbers), read as ints with no float round-trip.
   */
  public static RowFormat of(StructType schema, String featuresCol, String labelCol, int featureSize, int outputSize,
                             String source, boolean tokens) {
    RowFormat f = of(schema, featuresCol, labelCol, featureSize, outputSize, source);
    return new RowFormat(f.featuresCol, f.labelCol, f.featureIndex, f.labelIndex, f.featureSize, f.labelWidth,
        tokens);
  }

  /**
   * The format of rows of {@code schema} for a model with {@code featureSize} inputs and
   * {@code outputSize} outputs; a vector or array label has one value per output.
   *
   * @throws DataException naming {@code source} when a column is missing or of a type that
   *     cannot hold features or labels
   */
  public static RowFormat of(StructType schema, String featuresCol, String labelCol, int featureSize, int outputSize,
                             String source) {
    int fi = index(schema, featuresCol, source);
    int li = index(schema, labelCol, source);
    DataType ft = schema.fields()[fi].dataType();
    if (!isVector(ft) && !isNumericArray(ft)) {
      throw new DataException(source + ": column '" + featuresCol + "' is " + ft.simpleString()
          + " but features must be a vector or an array of numbers");
    }
    DataType lt = schema.fields()[li].dataType();
    int width;
    if (lt instanceof NumericType) {
      width = 1;
    } else if (isVector(lt) || isNumericArray(lt)) {
      width = outputSize;
    } else {
      throw new DataException(source + ": column '" + labelCol + "' is " + lt.simpleString()
          + " but a label must be a number (class index or target) or a vector of " + outputSize + " values");
    }
    return new RowFormat(featuresCol, labelCol, fi, li, featureSize, width);
  }

  private static int index(StructType schema, String col, String source) {
    String[] names = schema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(col)) {
        return i;
      }
    }
    throw new DataException(source + ": there is no column '" + col + "'; the columns are " + Arrays.toString(names));
  }

  private static boolean isVector(DataType t) {
    if (t instanceof UserDefinedType<?> u) {
      Class<?> c = u.userClass();
      return Vector.class.isAssignableFrom(c) || org.apache.spark.mllib.linalg.Vector.class.isAssignableFrom(c);
    }
    return false;
  }

  private static boolean isNumericArray(DataType t) {
    return t instanceof ArrayType a && a.elementType() instanceof NumericType;
  }

  /**
   * Writes the features of row {@code r} of a partition into {@code dst[off, off + featureSize)}.
   *
   * @throws DataException naming {@code where} ("training data, partition 2") and the row when
   *     the value is null or has the wrong length
   */
  void readFeatures(Row row, float[] dst, int off, String where, int r) {
    int n = read(row.get(featureIndex), dst, off, featureSize, where, r, featuresCol);
    if (n != featureSize) {
      throw new DataException(where + ", row " + r + ": column '" + featuresCol + "' has " + n
          + " values but the model's input needs " + featureSize);
    }
  }

  /**
   * Writes the token ids of row {@code r} into {@code dst[off, off + featureSize)}: integers
   * exactly, other numbers only when integral and within int range.
   *
   * @throws DataException naming {@code where} and the row for a null, a wrong length, or a
   *     value that is not an id
   */
  void readTokens(Row row, int[] dst, int off, String where, int r) {
    Object v = row.get(featureIndex);
    if (v instanceof scala.collection.Seq<?> seq) {
      v = scala.jdk.javaapi.CollectionConverters.asJava(seq);
    }
    if (v instanceof org.apache.spark.mllib.linalg.Vector old) {
      v = old.asML();
    }
    if (v instanceof Vector vec) {
      v = Arrays.stream(vec.toArray()).boxed().toList();
    }
    if (v instanceof Object[] arr) { // rows built by hand rather than by a data frame
      v = Arrays.asList(arr);
    }
    if (v == null) {
      throw new DataException(where + ", row " + r + ": column '" + featuresCol + "' is null");
    }
    if (!(v instanceof List<?> list)) {
      throw new DataException(where + ", row " + r + ": column '" + featuresCol + "' holds a "
          + v.getClass().getSimpleName() + ", expected an array of token ids");
    }
    if (list.size() != featureSize) {
      throw new DataException(where + ", row " + r + ": column '" + featuresCol + "' has " + list.size()
          + " token ids but the model's input needs " + featureSize + " (pad with 0)");
    }
    for (int i = 0; i < featureSize; i++) {
      Object e = list.get(i);
      long id;
      if (e instanceof Integer || e instanceof Long || e instanceof Short || e instanceof Byte) {
        id = ((Number) e).longValue();
      } else if (e instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
        id = (long) num.doubleValue();
      } else {
        throw new DataException(where + ", row " + r + ": column '" + featuresCol + "' has " + e + " at position "
            + i + ", which is not a token id (a non-negative integer)");
      }
      if (id < 0 || id > Integer.MAX_VALUE) {
        throw new DataException(where + ", row " + r + ": column '" + featuresCol + "' has token id " + id
            + " at position " + i + ", outside [0, " + Integer.MAX_VALUE + "]");
      }
      dst[off + i] = (int) id;
    }
  }

  /** Writes the label of {@code row} into {@code dst[off, off + labelWidth)}; checks as {@link #readFeatures}. */
  void readLabel(Row row, float[] dst, int off, String where, int r) {
    Object v = row.get(labelIndex);
    if (v instanceof Number num) {
      dst[off] = num.floatValue();
      return;
    }
    int n = read(v, dst, off, labelWidth, where, r, labelCol);
    if (n != labelWidth) {
      throw new DataException(where + ", row " + r + ": column '" + labelCol + "' has " + n
          + " values but the model has " + labelWidth + " outputs");
    }
  }

  /** Copies up to {@code max} values of a vector or list into {@code dst}; returns the value count. */
  private static int read(Object v, float[] dst, int off, int max, String where, int r, String col) {
    if (v == null) {
      throw new DataException(where + ", row " + r + ": column '" + col + "' is null");
    }
    if (v instanceof org.apache.spark.mllib.linalg.Vector old) {
      v = old.asML();
    }
    if (v instanceof DenseVector d) {
      double[] a = d.values();
      if (a.length == max) {
        for (int i = 0; i < a.length; i++) {
          dst[off + i] = (float) a[i];
        }
      }
      return a.length;
    }
    if (v instanceof SparseVector s) {
      if (s.size() == max) {
        Arrays.fill(dst, off, off + max, 0f);
        int[] idx = s.indices();
        double[] val = s.values();
        for (int i = 0; i < idx.length; i++) {
          dst[off + idx[i]] = (float) val[i];
        }
      }
      return s.size();
    }
    if (v instanceof List<?> list) {
      if (list.size() == max) {
        for (int i = 0; i < max; i++) {
          Object e = list.get(i);
          if (!(e instanceof Number num)) {
            throw new DataException(where + ", row " + r + ": column '" + col + "' has a null at position " + i);
          }
          dst[off + i] = num.floatValue();
        }
      }
      return list.size();
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      return read(scala.jdk.javaapi.CollectionConverters.asJava(seq), dst, off, max, where, r, col);
    }
    throw new DataException(where + ", row " + r + ": column '" + col + "' holds a " + v.getClass().getSimpleName()
        + ", expected a vector or an array of numbers");
  }
}
