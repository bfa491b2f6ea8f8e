package io.sparkprop.ml.text;

import static org.apache.spark.sql.functions.col;

import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link TextVectorizer}: adds {@code outputCol}, the token ids of {@code inputCol}
 * ({@code array<int>} of exactly {@code maxLength} ids, 1 for unknown tokens, 0-padded after the
 * text's tokens, as Keras' {@code output_sequence_length}) computed by the core
 * {@link io.sparkprop.core.text.TextVectorizer}: the input a token model's {@code (maxLength)}
 * Embedding takes, its real length being one past the last non-zero id. A null text or one without tokens fails with
 * one line naming the column and the text. Saved as MLlib metadata plus the core vectorizer's JSON
 * in {@code PATH/data/text-vectorizer.json}.
 */
public final class TextVectorizerModel extends Model<TextVectorizerModel> implements MLWritable, TextParams {
  private static final long serialVersionUID = 1L;
  /** The vectorizer's file under {@code PATH/data}. */
  static final String FILE = "text-vectorizer.json";
  private final String uid;
  private final TextParamSet p;
  private final String json;
  private transient io.sparkprop.core.text.TextVectorizer vectorizer;

  TextVectorizerModel(String uid, io.sparkprop.core.text.TextVectorizer vectorizer) {
    this.uid = uid;
    this.vectorizer = vectorizer;
    this.json = Json.toJson(vectorizer.toJson());
    this.p = new TextParamSet(this);
    p.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public TextParamSet paramSet() {
    return p;
  }

  public TextVectorizerModel setInputCol(String v) { return (TextVectorizerModel) set(p.inputCol, v); }
  public TextVectorizerModel setOutputCol(String v) { return (TextVectorizerModel) set(p.outputCol, v); }

  /** The core vectorizer (vocabulary and settings), e.g. to save beside a network. */
  public io.sparkprop.core.text.TextVectorizer vectorizer() {
    if (vectorizer == null) {
      vectorizer = ShippedVectorizer.parse(json, "TextVectorizerModel " + uid);
    }
    return vectorizer;
  }

  /** The vocabulary with the reserved entries: index = token id. */
  public String[] vocabulary() {
    io.sparkprop.core.text.TextVectorizer v = vectorizer();
    String[] out = new String[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = i < 2 ? io.sparkprop.core.text.TextVectorizer.RESERVED.get(i) : v.vocabulary().get(i - 2);
    }
    return out;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return p.transformSchema(this, schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String in = getOrDefault(p.inputCol);
    String where = "column '" + in + "'";
    UserDefinedFunction ids = functions.udf(new Ids(new ShippedVectorizer(json, where), where),
        DataTypes.createArrayType(DataTypes.IntegerType, false)).asNonNullable();
    return dataset.withColumn(getOrDefault(p.outputCol), ids.apply(col(in)));
  }

  /** Text to ids on the executors; errors name the input column (the vectorizer's source). */
  private record Ids(ShippedVectorizer v, String where) implements UDF1<String, int[]> {
    @Override
    public int[] call(String text) {
      return v.ids(text, where);
    }
  }

  @Override
  public TextVectorizerModel copy(ParamMap extra) {
    return copyValues(new TextVectorizerModel(uid, vectorizer()), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** The reader of saved models (Spark calls it through reflection inside saved PipelineModels). */
  public static MLReader<TextVectorizerModel> read() {
    return new Reader();
  }

  /** Loads a model saved with {@code save(path)}. */
  public static TextVectorizerModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final TextVectorizerModel model;

    Writer(TextVectorizerModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(model, path, sparkSession());
      Path file = new Path(new Path(path, "data"), FILE);
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
          Json.writePretty(model.vectorizer().toJson(), out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the text vectorizer to " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class Reader extends MLReader<TextVectorizerModel> {
    @Override
    public TextVectorizerModel load(String path) {
      DefaultParamsReader.Metadata meta =
          DefaultParamsReader.loadMetadata(path, sparkSession(), TextVectorizerModel.class.getName());
      Path file = new Path(new Path(path, "data"), FILE);
      io.sparkprop.core.text.TextVectorizer v;
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        if (!fs.exists(file)) {
          throw new FileFormatException(file.toString(), "does not exist: not a saved TextVectorizerModel");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = fs.open(file)) {
          in.transferTo(bytes);
        }
        v = io.sparkprop.core.text.TextVectorizer.fromJson(
            Json.readTree(new java.io.ByteArrayInputStream(bytes.toByteArray()), file.toString()), file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the text vectorizer at " + path + ": " + e.getMessage(), e);
      }
      TextVectorizerModel m = new TextVectorizerModel(meta.uid(), v);
      meta.getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
