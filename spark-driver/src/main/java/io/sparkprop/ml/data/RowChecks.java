package io.sparkprop.ml.data;

import io.sparkprop.core.data.DataException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Checks rows of {@code (features, label[, weight], file path[, row index])} as they are read and
 * turns them into {@code (vector, label[, weight])} rows: features present (an array becomes a
 * dense vector), of {@code numFeatures} values when given, the label present and, when
 * {@code numClasses} is given, an integer class in {@code [0, numClasses)} (string labels: not
 * empty, and one of {@code classLabels} when given), the weight finite and {@code >= 0}. Messages
 * name the file, the row (0-based row index in the file where the format has one) and the column.
 */
final class RowChecks implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  private final String featuresCol;
  private final String[] names;
  private final String labelCol;
  private final boolean hasRowIndex;
  private final int numFeatures;
  private final int numClasses;
  private final String weightCol;
  private final boolean strings;
  private final io.sparkprop.core.data.Preprocessing classLabels;

  RowChecks(String featuresCol, String[] names, String labelCol, boolean hasRowIndex, int numFeatures,
            int numClasses) {
    this(featuresCol, names, labelCol, hasRowIndex, numFeatures, numClasses, null, false, null);
  }

  /** With a weight column ({@code weightCol}, null: none) and string labels ({@code strings}). */
  RowChecks(String featuresCol, String[] names, String labelCol, boolean hasRowIndex, int numFeatures,
            int numClasses, String weightCol, boolean strings, io.sparkprop.core.data.Preprocessing classLabels) {
    this.weightCol = weightCol;
    this.strings = strings;
    this.classLabels = classLabels;
    this.featuresCol = featuresCol;
    this.names = names;
    this.labelCol = labelCol;
    this.hasRowIndex = hasRowIndex;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
  }

  /** The problem with {@code label} as a class of {@code [0, numClasses)}, or null. */
  static String checkClass(double label, int numClasses) {
    if (!(label >= 0 && label < numClasses) || label != Math.rint(label)) {
      return "label " + label + " is not an integer class in [0, " + numClasses + ")";
    }
    return null;
  }

  /** The problem with {@code w} as a sample weight (finite, {@code >= 0}), or null. */
  static String checkWeight(double w) {
    return w >= 0 && Double.isFinite(w) ? null : "weight " + w + " is not a finite number >= 0";
  }

  /** The problem with {@code y} as a string label (not empty, one of {@code classLabels} when given), or null. */
  static String checkString(String y, io.sparkprop.core.data.Preprocessing classLabels) {
    if (y.isEmpty()) {
      return "the label is empty";
    }
    if (classLabels != null && java.util.Arrays.binarySearch(classLabels.labelStrings(), y) < 0) {
      return classLabels.unknownLabel(y);
    }
    return null;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        return check(rows.next());
      }
    };
  }

  private Row check(Row r) {
    Object f = r.get(0);
    Vector v;
    if (f instanceof Vector vec) {
      v = vec;
    } else if (f instanceof scala.collection.Seq<?> seq) {
      v = dense(scala.jdk.javaapi.CollectionConverters.asJava(seq), r);
    } else if (f instanceof List<?> list) {
      v = dense(list, r);
    } else {
      throw new DataException(where(r) + ": column '" + featuresCol + "' is "
          + (f == null ? "null" : "a " + f.getClass().getSimpleName()) + ", expected a vector");
    }
    if (numFeatures > 0 && v.size() != numFeatures) {
      throw new DataException(where(r) + ": column '" + featuresCol + "' has " + v.size() + " values, expected "
          + numFeatures + " (numFeatures)");
    }
    for (int i = 0; i < v.size(); i++) {
      double d = v.apply(i);
      if (!Double.isFinite(d)) {
        throw new DataException(where(r) + ": " + column(i) + " is " + d + ", expected a finite number");
      }
    }
    if (r.isNullAt(1)) {
      throw new DataException(where(r) + ": column '" + labelCol + "' is null");
    }
    Double weight = null;
    if (weightCol != null) {
      if (r.isNullAt(2)) {
        throw new DataException(where(r) + ": column '" + weightCol + "' is null; expected a sample weight");
      }
      weight = r.getDouble(2);
      String bad = checkWeight(weight);
      if (bad != null) {
        throw new DataException(where(r) + ": column '" + weightCol + "': " + bad);
      }
    }
    if (strings) {
      String bad = checkString(r.getString(1), classLabels);
      if (bad != null) {
        throw new DataException(where(r) + ": column '" + labelCol + "': " + bad);
      }
      return weight == null ? RowFactory.create(v, r.getString(1)) : RowFactory.create(v, r.getString(1), weight);
    }
    double label = r.getDouble(1);
    if (!Double.isFinite(label)) {
      throw new DataException(where(r) + ": column '" + labelCol + "' is " + label + ", expected a finite number");
    }
    if (numClasses > 0) {
      String bad = checkClass(label, numClasses);
      if (bad != null) {
        throw new DataException(where(r) + ": column '" + labelCol + "': " + bad);
      }
    }
    return weight == null ? RowFactory.create(v, label) : RowFactory.create(v, label, weight);
  }

  private Vector dense(List<?> list, Row r) {
    double[] d = new double[list.size()];
    for (int i = 0; i < d.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new DataException(where(r) + ": " + column(i) + " is null");
      }
      d[i] = n.doubleValue();
    }
    return Vectors.dense(d);
  }

  /** "column 'x2'" for named scalar columns, else "column 'features', position 3". */
  private String column(int i) {
    return names != null ? "column '" + names[i] + "'" : "column '" + featuresCol + "', position " + i;
  }

  private String where(Row r) {
    int at = weightCol == null ? 2 : 3; // the file path follows the label (and the weight)
    String file = r.isNullAt(at) ? "(unknown file)" : r.getString(at);
    return hasRowIndex && !r.isNullAt(at + 1) ? file + ", row " + r.getLong(at + 1) : file;
  }
}
