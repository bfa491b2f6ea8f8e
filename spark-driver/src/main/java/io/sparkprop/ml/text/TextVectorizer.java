package io.sparkprop.ml.text;

import io.sparkprop.core.text.TextConfig;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A spark.ml Estimator learning a text vocabulary ({@link SparkTextVocabulary}: counted with
 * Spark) from a string column; its {@link TextVectorizerModel} writes token ids. Params follow the
 * core {@link TextConfig}: {@code lowercase}, {@code split}, {@code pattern}, {@code minCount},
 * {@code maxTokens}, {@code maxLength}, plus {@code inputCol} and {@code outputCol}. Saved with
 * MLlib's default params persistence, also inside Pipelines.
 */
public final class TextVectorizer extends Estimator<TextVectorizerModel> implements DefaultParamsWritable, TextParams {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final TextParamSet p;

  /** An estimator with a fresh uid. */
  public TextVectorizer() {
    this(Identifiable.randomUID("textVectorizer"));
  }

  /** An estimator with the given uid (used by persistence and copies). */
  public TextVectorizer(String uid) {
    this.uid = uid;
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

  public TextVectorizer setInputCol(String v) { return (TextVectorizer) set(p.inputCol, v); }
  public TextVectorizer setOutputCol(String v) { return (TextVectorizer) set(p.outputCol, v); }
  public TextVectorizer setLowercase(boolean v) { return (TextVectorizer) set(p.lowercase, v); }
  public TextVectorizer setSplit(String v) { return (TextVectorizer) set(p.split, v); }
  public TextVectorizer setPattern(String v) { return (TextVectorizer) set(p.pattern, v); }
  public TextVectorizer setMinCount(int v) { return (TextVectorizer) set(p.minCount, v); }
  public TextVectorizer setMaxTokens(int v) { return (TextVectorizer) set(p.maxTokens, v); }
  public TextVectorizer setMaxLength(int v) { return (TextVectorizer) set(p.maxLength, v); }

  /** The core settings of the current params. */
  public TextConfig config() {
    return p.config(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return p.transformSchema(this, schema);
  }

  @Override
  public TextVectorizerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    io.sparkprop.core.text.TextVectorizer v =
        SparkTextVocabulary.fit(dataset, getOrDefault(p.inputCol), config());
    return copyValues(new TextVectorizerModel(uid, v), ParamMap.empty()).setParent(this);
  }

  @Override
  public TextVectorizer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The reader of saved estimators (Spark calls it through reflection inside saved Pipelines). */
  public static MLReader<TextVectorizer> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an estimator saved with {@code save(path)}. */
  public static TextVectorizer load(String path) {
    return read().load(path);
  }
}
