package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.TextSpec;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.text.TextVectorizer;
import io.sparkprop.ml.data.DataSources;
import io.sparkprop.ml.text.ShippedVectorizer;
import io.sparkprop.ml.text.SparkTextVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code text} section at work: the vocabulary counted with Spark on the training texts, and
 * frames of labelled texts turned into frames of token ids ({@code features}: {@code maxLength}
 * ints padded with 0; {@code label}) by the executors. The vectorizer is saved beside the model
 * as {@value #FILE}, so that {@code evaluate} and {@code predict} read raw text.
 */
final class TextInputs {
  /** File name inside the model folder. */
  static final String FILE = "text.json";

  private TextInputs() {
  }

  /** The vectorizer of the training texts {@code train} (columns text, label). */
  static TextVectorizer fit(Dataset<Row> train, TextSpec spec) {
    TextVectorizer v = SparkTextVocabulary.fit(train, DataSources.TEXT, spec.settings());
    if (v.size() <= TextVectorizer.RESERVED.size()) {
      throw new DataException("data.train: no token of column '" + spec.column() + "' is seen at least "
          + spec.settings().minCount() + " times (text.minCount); the vocabulary would be empty");
    }
    return v;
  }

  /**
   * {@code texts} (text, label[, weight]) as token ids (features, label[, weight]); a text without
   * tokens fails naming {@code source}.
   */
  static Dataset<Row> ids(Dataset<Row> texts, TextVectorizer v, String column, String source) {
    if (texts == null) {
      return null;
    }
    boolean weighted = Inputs.weighted(texts);
    StructType schema = new StructType()
        .add(DataSources.FEATURES, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
        .add(DataSources.LABEL, DataTypes.DoubleType, false);
    var rows = (weighted ? texts.select(DataSources.TEXT, DataSources.LABEL, Inputs.WEIGHT)
        : texts.select(DataSources.TEXT, DataSources.LABEL)).javaRDD()
        .mapPartitions(new Encode(new ShippedVectorizer(v, source + " text vectorizer"), column, source));
    return texts.sparkSession().createDataFrame(rows,
        weighted ? schema.add(Inputs.WEIGHT, DataTypes.DoubleType, false) : schema);
  }

  /**
   * Fails with one line unless {@code model} takes the ids of {@code v}: its embedding has a row
   * for every id, and it takes {@code maxLength} ids per sample.
   */
  static void checkFits(TextVectorizer v, Model model, String source) {
    if (!(model.architecture().layers().get(0) instanceof Embedding e)) {
      throw new DataException(source + ": the model does not start with an embedding, so it cannot take text");
    }
    if (v.size() > e.inputDim()) {
      throw new DataException(source + ": the text vocabulary has " + v.size() + " ids but the model's embedding "
          + "has " + e.inputDim() + " rows; the vectorizer does not belong to this model");
    }
    int length = model.architecture().inputShape().size();
    if (v.config().maxLength() != length) {
      throw new DataException(source + ": the vectorizer makes " + v.config().maxLength() + " ids per text but the "
          + "model takes " + length + "; the vectorizer does not belong to this model");
    }
  }

  /**
   * The vectorizer of the model in {@code modelDir} (null for a model of numbers), checked against
   * the model and the config: a text model needs a config with a text section, and the reverse.
   */
  static TextVectorizer forModel(Path modelDir, Model model, ConfigLoader.Loaded config) throws IOException {
    TextVectorizer v = load(modelDir);
    boolean section = config.config().text() != null;
    if (v == null && section) {
      throw new ConfigException("text: the config has a text section but the model " + modelDir + " has no "
          + FILE + "; it was trained on numbers");
    }
    if (v != null && !section) {
      throw new ConfigException("the model " + modelDir + " reads text (" + FILE + ") but the config "
          + config.source() + " has no text section naming the text column");
    }
    if (v != null) {
      checkFits(v, model, modelDir.resolve(FILE).toString());
    }
    return v;
  }

  /** Writes {@code v} into {@code modelDir}. */
  static void save(TextVectorizer v, Path modelDir) throws IOException {
    v.save(modelDir.resolve(FILE));
  }

  /** The vectorizer saved in {@code modelDir}, or null for a model of numbers. */
  static TextVectorizer load(Path modelDir) throws IOException {
    Path f = modelDir.resolve(FILE);
    return Files.isRegularFile(f) ? TextVectorizer.load(f) : null;
  }

  /** Text to ids on the executors, naming the row of the partition of a text without tokens. */
  private record Encode(ShippedVectorizer v, String column, String source)
      implements FlatMapFunction<Iterator<Row>, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private long row;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          int[] ids;
          try {
            ids = v.ids(r.getString(0), source + ", text '" + column + "' of row " + row + " of its partition");
          } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage(), e);
          }
          row++;
          return r.length() > 2 ? RowFactory.create(ids, r.getDouble(1), r.getDouble(2))
              : RowFactory.create(ids, r.getDouble(1));
        }
      };
    }
  }
}
