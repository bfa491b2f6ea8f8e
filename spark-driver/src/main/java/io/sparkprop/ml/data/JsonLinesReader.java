package io.sparkprop.ml.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.core.data.DataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * JSON lines: one object per line, read with {@link TextLines} and Jackson so that problems name
 * the file, line and key. The label is the key of the {@code label} option (default "label", a
 * number, or a string when the first object's label is one: see {@link DataSources}); the features are the array under {@code featuresCol} when the first object has it,
 * else the number keys of the {@code features} option (comma-separated), else every number key
 * of the first object but the label, in the order written there.
 */
final class JsonLinesReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLinesReader() {
  }

  /** The files of {@code path} and the object on their first line, or an error naming the file. */
  record First(List<Path> files, JsonNode object) {
  }

  static First first(SparkSession spark, String path) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = TextLines.files(conf, path, "json data");
    String line = TextLines.firstLine(conf, files, "json data");
    if (line == null) {
      throw new DataException("json data " + (files.size() == 1 ? files.get(0) + ": the file is empty"
          : path + ": all " + files.size() + " files are empty"));
    }
    JsonNode first;
    try {
      first = MAPPER.readTree(line);
    } catch (IOException e) {
      throw new DataException("json data " + files.get(0) + ": the first line is not JSON: " + e.getMessage(), e);
    }
    if (!first.isObject()) {
      throw new DataException("json data " + files.get(0) + ": the first line is not a JSON object");
    }
    return new First(files, first);
  }

  static Dataset<Row> load(SparkSession spark, String path, Map<String, String> o, int numFeatures, int numClasses) {
    First head = first(spark, path);
    List<Path> files = head.files();
    JsonNode first = head.object();
    String label = o.getOrDefault("labelCol", o.getOrDefault("label", DataSources.LABEL));
    List<String> keys = new ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    if (!first.has(label)) {
      throw new DataException("json data " + files.get(0) + ": there is no key '" + label + "'; the first object has "
          + keys);
    }
    String weight = DataSources.weightColumn(o, keys, "json data " + files.get(0), label);
    String arrayKey = o.getOrDefault("featuresCol", DataSources.FEATURES);
    String[] features;
    String vector = null;
    if (o.get("features") != null) {
      features = names(o.get("features"));
      for (String f : features) {
        if (!first.has(f)) {
          throw new DataException("json data " + files.get(0) + ": there is no key '" + f + "'; the first object has "
              + keys);
        }
        if (f.equals(o.get("weightCol"))) {
          throw new DataException("json data " + files.get(0) + ": feature key '" + f + "' is the weight key");
        }
      }
    } else if (first.has(arrayKey) && first.get(arrayKey).isArray()) {
      vector = arrayKey;
      features = new String[0];
    } else {
      List<String> f = new ArrayList<>();
      for (String k : keys) {
        if (!k.equals(label) && !k.equals(o.get("weightCol")) && first.get(k).isNumber()) {
          f.add(k);
        }
      }
      if (f.isEmpty()) {
        throw new DataException("json data " + files.get(0) + ": no number keys besides the label '" + label
            + "' in the first object " + keys);
      }
      features = f.toArray(new String[0]);
    }
    int size = vector == null ? features.length : first.get(vector).size();
    if (numFeatures > 0 && size != numFeatures) {
      throw new DataException("json data " + files.get(0) + ", line 1: " + size + " features, expected " + numFeatures
          + " (numFeatures)");
    }
    var classLabels = DataSources.classLabels(o, "json data " + path);
    // string labels when the first object's label is a JSON string (or the caller says so)
    boolean strings = classLabels != null || first.get(label).isTextual();
    JavaRDD<Row> rows = TextLines.rows(spark, path, false,
        new Parse(label, vector, features, size, numClasses, strings, classLabels, weight));
    return spark.createDataFrame(rows, DataSources.schema(size, strings, weight != null));
  }

  /** {@code line} as a JSON object; anything else fails naming {@code where}. */
  static JsonNode object(String line, TextLines.Where where) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (IOException e) {
      throw new DataException(where.text() + ": not JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (!n.isObject()) {
      throw new DataException(where.text() + ": not a JSON object");
    }
    return n;
  }

  static String[] names(String option) {
    String[] n = option.split(",");
    for (int i = 0; i < n.length; i++) {
      n[i] = n[i].trim();
    }
    return n;
  }

  /** Parses one line into (features, label). */
  private record Parse(String label, String vector, String[] features, int size, int numClasses, boolean strings,
                       io.sparkprop.core.data.Preprocessing classLabels, String weight)
      implements TextLines.LineParser {

    @Override
    public Row parse(String line, String file, TextLines.Where where) {
      JsonNode n = object(line, where);
      double[] x = new double[size];
      if (vector != null) {
        JsonNode a = n.get(vector);
        if (a == null || !a.isArray()) {
          throw new DataException(where.text() + ", key '" + vector + "': missing or not an array");
        }
        if (a.size() != size) {
          throw new DataException(where.text() + ", key '" + vector + "': " + a.size() + " values, expected " + size
              + " (as line 1 of the first file)");
        }
        Iterator<JsonNode> it = a.elements();
        for (int j = 0; j < size; j++) {
          x[j] = value(it.next(), vector + "[" + j + "]", where);
        }
      } else {
        for (int j = 0; j < size; j++) {
          x[j] = value(n.get(features[j]), features[j], where);
        }
      }
      Object y = strings ? string(n.get(label), where) : value(n.get(label), label, where);
      if (!strings && numClasses > 0) {
        String bad = RowChecks.checkClass((Double) y, numClasses);
        if (bad != null) {
          throw new DataException(where.text() + ", key '" + label + "': " + bad);
        }
      }
      if (weight == null) {
        return RowFactory.create(Vectors.dense(x), y);
      }
      double w = value(n.get(weight), weight, where);
      String bad = RowChecks.checkWeight(w);
      if (bad != null) {
        throw new DataException(where.text() + ", key '" + weight + "': " + bad);
      }
      return RowFactory.create(Vectors.dense(x), y, w);
    }

    private String string(JsonNode v, TextLines.Where where) {
      if (v == null || v.isNull()) {
        throw new DataException(where.text() + ", key '" + label + "': missing");
      }
      if (!v.isTextual()) {
        throw new DataException(where.text() + ", key '" + label + "': " + v + " is not a string (the labels are "
            + "strings, as in the first line)");
      }
      String y = v.asText();
      String bad = RowChecks.checkString(y, classLabels);
      if (bad != null) {
        throw new DataException(where.text() + ", key '" + label + "': " + bad);
      }
      return y;
    }

    private static double value(JsonNode v, String key, TextLines.Where where) {
      if (v == null || v.isNull()) {
        throw new DataException(where.text() + ", key '" + key + "': missing");
      }
      if (!v.isNumber()) {
        throw new DataException(where.text() + ", key '" + key + "': " + v + " is not a number");
      }
      return v.asDouble();
    }
  }
}
